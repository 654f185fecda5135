import Testing
@testable import TokenCLI

@Suite("Help")
struct HelpTests {
    let table = CommandTable.tokenctl

    @Test("every command's help has its sections, in order")
    func sections() {
        for command in table.commands {
            let help = Help.render(command, table: table)
            var position = help.startIndex
            for section in ["OVERVIEW: ", "USAGE: ", "ARGUMENTS:", "OPTIONS:", "EXAMPLES:", "EXIT STATUS:"] {
                if section == "ARGUMENTS:" && command.arguments.isEmpty {
                    #expect(!help.contains(section), "\(command.name)")
                    continue
                }
                guard let range = help.range(of: section, range: position..<help.endIndex) else {
                    Issue.record("\(command.name): no \(section) after the previous section")
                    continue
                }
                position = range.upperBound
            }
            #expect(help.hasPrefix("OVERVIEW: \(command.abstract)"))
            #expect(help.contains("USAGE: \(table.usage(of: command))\n"))
        }
    }

    @Test("help and overview fit in 80 columns")
    func width() {
        var texts = table.commands.map { Help.render($0, table: table) }
        texts.append(Help.overview(table))
        for text in texts {
            for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
                #expect(line.count <= 80, "too wide: \(line)")
                #expect(!line.hasSuffix(" "), "trailing space: \(line)")
            }
        }
    }

    @Test("options are listed with placeholders, choices and repeatability; hidden ones are not")
    func options() {
        let verify = Help.render(table.command(named: "verify")!, table: table)
        #expect(verify.contains("  -k, --key FILE "))
        #expect(verify.contains("      --max-token-bytes N "))
        #expect(verify.contains("      --color WHEN "))
        #expect(verify.contains("  -h, --help "))
        let sign = Help.render(table.command(named: "sign")!, table: table)
        #expect(sign.contains("      --jti [ID] "))
        #expect(sign.contains("One of: raw, base64, base64url, hex."))
        var hidden = table.command(named: "decode")!
        hidden.options.append(OptionSpec(long: "debug-internals", help: "Hidden.", hidden: true))
        #expect(!Help.render(hidden, table: table).contains("debug-internals"))
    }

    @Test("long help text wraps under its column, long labels get their own line")
    func wrapping() {
        let lines = Help.labelled("--short", String(repeating: "word ", count: 30), width: 80)
        #expect(lines.count > 1)
        #expect(lines[0].hasPrefix("  --short "))
        for line in lines.dropFirst() {
            #expect(line.hasPrefix(String(repeating: " ", count: Help.helpColumn)))
            #expect(line.count <= 80)
        }
        let long = Help.labelled("--a-very-long-option-name VALUE", "Text.", width: 80)
        #expect(long == ["  --a-very-long-option-name VALUE", String(repeating: " ", count: Help.helpColumn) + "Text."])
    }

    @Test("the exit table lists the three statuses with their meaning")
    func exitTable() {
        let help = Help.render(table.command(named: "decode")!, table: table)
        for status in TokenCLI.ExitStatus.allCases {
            #expect(help.contains("  \(status.rawValue)   \(status.meaning.prefix(30))"))
        }
        let overview = Help.overview(table)
        for status in TokenCLI.ExitStatus.allCases {
            #expect(overview.contains("  \(status.rawValue)   "))
        }
    }

    @Test("the overview lists every command with its abstract, and the built-ins")
    func overview() {
        let text = Help.overview(table)
        #expect(text.hasPrefix("OVERVIEW: \(table.abstract)\n"))
        for command in table.commands {
            #expect(text.contains("  \(command.name) "))
        }
        #expect(text.contains("  help COMMAND "))
        #expect(text.contains("      --version "))
    }

    @Test("examples show their comment above the command")
    func examples() {
        let help = Help.render(table.command(named: "sign")!, table: table)
        #expect(help.contains("  # A 15-minute token from the default keyset\n  tokenctl sign --sub alice\n"))
    }
}
