import Testing
import TokenKit
@testable import TokenCLI

/// The invariants of tokenctl's command table (STYLE.md section 5).
@Suite("Command table")
struct CommandTableTests {
    let table = CommandTable.tokenctl

    static func isKebabCase(_ name: String) -> Bool {
        guard let first = name.first, first.isLowercase, first.isLetter, !name.hasSuffix("-"), !name.contains("--")
        else { return false }
        return name.allSatisfy { ($0.isLowercase && $0.isLetter) || $0.isNumber || $0 == "-" }
    }

    @Test("the five commands, in order, with kebab-case names")
    func commands() {
        #expect(table.commands.map(\.name) == ["sign", "verify", "decode", "inspect-size", "rotate-keys"])
        #expect(Set(table.commands.map(\.name)).count == table.commands.count)
        for command in table.commands {
            #expect(Self.isKebabCase(command.name), "\(command.name)")
            #expect(!["help", "version"].contains(command.name))
        }
    }

    @Test("each command is found by the name it is listed under, and its spec bears that name")
    func namesMatchSpecs() {
        #expect(table.commandNames == table.commands.map(\.name))
        for name in table.commandNames {
            #expect(table.command(named: name)?.name == name, "\(name)")
        }
        #expect(table.command(named: "nonexistent") == nil)
    }

    @Test("long names are unique kebab-case per command, global options included")
    func uniqueLongNames() {
        for command in table.commands {
            let names = table.options(of: command).map(\.long)
            #expect(Set(names).count == names.count, "duplicate long option in \(command.name): \(names)")
            for name in names {
                #expect(Self.isKebabCase(name), "\(command.name) --\(name)")
            }
        }
    }

    @Test("short names are unique per command")
    func uniqueShortNames() {
        for command in table.commands {
            let shorts = table.options(of: command).compactMap(\.short)
            #expect(Set(shorts).count == shorts.count, "duplicate short option in \(command.name)")
            for short in shorts { #expect(short.isLetter, "\(command.name) -\(short)") }
        }
    }

    @Test("value options have UPPERCASE placeholders; switches have none and no choices")
    func placeholders() {
        for command in table.commands {
            for option in table.options(of: command) {
                if let value = option.value {
                    #expect(!value.isEmpty)
                    #expect(
                        value.allSatisfy { $0.isUppercase || $0.isNumber || "|=_".contains($0) },
                        "\(command.name) --\(option.long) \(value)")
                } else {
                    #expect(option.choices.isEmpty, "switch \(command.name) --\(option.long) has choices")
                    #expect(!option.valueIsOptional, "switch \(command.name) --\(option.long)")
                    #expect(option.completion == .none, "switch \(command.name) --\(option.long)")
                }
                if option.completion == .choices {
                    #expect(!option.choices.isEmpty, "\(command.name) --\(option.long)")
                }
            }
        }
    }

    @Test("help strings are sentences; conflicts name options of the same command")
    func helpAndConflicts() {
        for command in table.commands {
            let names = Set(table.options(of: command).map(\.long))
            for option in table.options(of: command) {
                #expect(option.help.first?.isUppercase == true, "\(command.name) --\(option.long)")
                #expect(option.help.hasSuffix("."), "\(command.name) --\(option.long)")
                for other in option.conflicts {
                    #expect(names.contains(other), "\(command.name) --\(option.long) conflicts with unknown --\(other)")
                    #expect(other != option.long)
                }
            }
        }
    }

    @Test("abstracts fit in 79 columns and every command has examples that run tokenctl")
    func abstractsAndExamples() {
        for command in table.commands {
            #expect(command.abstract.count <= 79, "\(command.name)")
            #expect(command.abstract.hasSuffix("."), "\(command.name)")
            #expect(!command.examples.isEmpty, "\(command.name) has no example")
            for example in command.splitExamples {
                #expect(example.command.contains("tokenctl \(command.name)"), "\(example.command)")
                #expect(example.command.count <= 76, "example too wide for help: \(example.command)")
            }
        }
    }

    @Test("every example parses against the table")
    func examplesParse() throws {
        for command in table.commands {
            for example in command.splitExamples {
                // Split like a shell would for these simple examples: the part after `tokenctl`,
                // up to a pipe or a redirection.
                let words = example.command.split(separator: " ").map(String.init)
                guard let start = words.firstIndex(of: "tokenctl") else { continue }
                let arguments = words[(start + 1)...].prefix { !["|", "<", ">"].contains($0) }
                    .map { $0.trimmingCharacters(in: "\"'") }
                do {
                    guard case .run = try Parser.parse(Array(arguments), table: table) else {
                        Issue.record("example does not run a command: \(example.command)")
                        continue
                    }
                } catch {
                    Issue.record("example does not parse: \(example.command): \(error)")
                }
            }
        }
    }

    @Test("tokens come as arguments or on stdin: verify, decode and inspect-size say so")
    func stdinDocumented() {
        for name in ["verify", "decode"] {
            let command = table.command(named: name)
            #expect(command?.arguments == "[TOKEN...]")
            #expect(command?.discussion.contains("standard input") == true)
            #expect(command?.maximumArguments == nil)
            #expect(command?.minimumArguments == 0)
        }
        #expect(table.command(named: "sign")?.maximumArguments == 0)
        #expect(table.command(named: "inspect-size")?.argumentsMayBeFiles == true)
        #expect(table.command(named: "verify")?.argumentsMayBeFiles == false)
        #expect(table.command(named: "inspect-size")?.maximumArguments == nil)
    }

    @Test("the options the commands rely on are spelled as documented")
    func spelling() {
        func synopses(_ name: String) -> Set<String> {
            Set(table.command(named: name)?.options.map(\.synopsis) ?? [])
        }
        let sign = synopses("sign")
        for expected in [
            "--claims CLAIMS", "--aud AUD", "--exp DURATION|INSTANT", "--no-exp", "--jti [ID]",
            "-c, --claim NAME=VALUE", "--header NAME=VALUE", "--alg ALG", "-k, --key FILE", "--keyset DIR",
            "--secret-file FILE", "--secret-env VAR", "--secret-encoding ENC", "--password-file FILE",
            "--password-env VAR", "--max-bytes N", "--allow-large", "--now INSTANT", "--json",
        ] {
            #expect(sign.contains(expected), "sign \(expected)")
        }
        let verify = synopses("verify")
        for expected in [
            "-k, --key FILE", "--alg ALG", "--leeway DURATION", "--require CLAIM", "--max-age DURATION",
            "--revoked FILE", "--allow-no-exp", "-q, --quiet", "--json", "--max-token-bytes N", "-n, --line-number",
        ] {
            #expect(verify.contains(expected), "verify \(expected)")
        }
        #expect(synopses("decode") == [
            "--json", "-n, --line-number", "--now INSTANT", "--max-token-bytes N", "-j, --jobs N", "--scan", "--show-tokens",
        ])
        #expect(verify.contains("-j, --jobs N") && synopses("inspect-size").contains("-j, --jobs N"))
        let inspect = synopses("inspect-size")
        for expected in [
            "--claims CLAIMS", "--budget BYTES|NAME", "--context CONTEXT", "--cookie-name NAME",
            "--format FORMAT", "--fail-on LEVEL",
        ] {
            #expect(inspect.contains(expected), "inspect-size \(expected)")
        }
        #expect(table.command(named: "verify")?.options.first { $0.long == "alg" }?.choices.contains("Ed448") == true)
        #expect(table.command(named: "sign")?.options.first { $0.long == "alg" }?.choices.contains("Ed448") == false)
    }

    @Test("every TokenError code is in the exit table and the man page")
    func errorCodes() {
        let codes = ManPage.errorCodes()
        for code in TokenError.Code.all {
            #expect(codes.contains("\\fB\(ManPage.escape(code.id))\\fR (exit \(TokenCLI.ExitStatus(for: code).rawValue))"))
        }
        #expect(Set(UsageError.codes.map(\.id)).count == UsageError.codes.count)
    }
}
