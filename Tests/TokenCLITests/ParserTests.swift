import Testing
@testable import TokenCLI

/// A small table exercising every kind of option, independent of tokenctl's real commands.
private let demo = CommandSpec(
    name: "demo", abstract: "A command for parser tests.", arguments: "[TOKEN...]",
    examples: ["tokenctl demo"],
    options: [
        OptionSpec(long: "key", short: "k", value: "FILE", help: "A key."),
        OptionSpec(long: "aud", value: "AUD", repeatable: true, help: "An audience."),
        OptionSpec(long: "jti", value: "ID", valueIsOptional: true, help: "A token id."),
        OptionSpec(long: "alg", value: "ALG", help: "An algorithm.", choices: ["HS256", "ES256"]),
        OptionSpec(long: "json", help: "JSON output.", conflicts: ["quiet"]),
        OptionSpec(long: "quiet", short: "q", help: "Quiet."),
        OptionSpec(long: "verbose", short: "v", help: "Verbose."),
        OptionSpec(long: "secret-debug", value: "X", help: "Hidden.", hidden: true),
    ],
    run: { _, _ in .success })

private let pair = CommandSpec(
    name: "pair", abstract: "Takes exactly two arguments.", arguments: "FIRST SECOND",
    examples: ["tokenctl pair a b"], options: [], run: { _, _ in .success })

private let none = CommandSpec(
    name: "none", abstract: "Takes no arguments.", examples: ["tokenctl none"], options: [],
    run: { _, _ in .success })

private let table = CommandTable(
    program: "tokenctl", abstract: "Test table.", version: "9.9.9", commands: [demo, pair, none],
    globalOptions: CommandTable.tokenctl.globalOptions)

/// Parses `arguments` after `tokenctl`, expecting a command run.
private func parsed(_ arguments: [String]) throws -> ParsedArguments {
    guard case .run(_, let parsed) = try Parser.parse(arguments, table: table) else {
        Issue.record("expected a command run for \(arguments)")
        return ParsedArguments()
    }
    return parsed
}

/// The usage error `arguments` throws, or `nil`.
private func usageError(_ arguments: [String]) -> UsageError? {
    do {
        _ = try Parser.parse(arguments, table: table)
        return nil
    } catch {
        return error
    }
}

@Suite("Parser")
struct ParserTests {
    @Test("long option with a separate value and with =")
    func longValues() throws {
        #expect(try parsed(["demo", "--key", "a.pem"]).value("key") == "a.pem")
        #expect(try parsed(["demo", "--key=a.pem"]).value("key") == "a.pem")
        #expect(try parsed(["demo", "--key=-odd"]).value("key") == "-odd")
        #expect(try parsed(["demo", "--key="]).value("key") == "")
        #expect(try parsed(["demo", "--key=a=b"]).value("key") == "a=b")
    }

    @Test("short option with a separate and an attached value")
    func shortValues() throws {
        #expect(try parsed(["demo", "-k", "a.pem"]).value("key") == "a.pem")
        #expect(try parsed(["demo", "-ka.pem"]).value("key") == "a.pem")
        #expect(try parsed(["demo", "-k-odd"]).value("key") == "-odd")
        #expect(try parsed(["demo", "-k", "-"]).value("key") == "-")
    }

    @Test("grouped short switches, a value option ending the group")
    func groupedShorts() throws {
        let switches = try parsed(["demo", "-qv"])
        #expect(switches.occurrences == [.init(name: "quiet", value: nil), .init(name: "verbose", value: nil)])
        let withValue = try parsed(["demo", "-vka.pem"])
        #expect(withValue.has("verbose"))
        #expect(withValue.value("key") == "a.pem")
        let separate = try parsed(["demo", "-vk", "a.pem"])
        #expect(separate.value("key") == "a.pem")
    }

    @Test("options and positionals interleave; order is kept")
    func interleaving() throws {
        let result = try parsed(["demo", "t1", "--aud", "a", "t2", "-q", "t3", "--aud=b"])
        #expect(result.positionals == ["t1", "t2", "t3"])
        #expect(result.values("aud") == ["a", "b"])
        #expect(result.occurrences.map(\.name) == ["aud", "quiet", "aud"])
    }

    @Test("-- ends the options; - alone is a positional")
    func doubleDashAndStdin() throws {
        let result = try parsed(["demo", "-q", "--", "--key", "-k", "-", "--help"])
        #expect(result.positionals == ["--key", "-k", "-", "--help"])
        #expect(result.occurrences.map(\.name) == ["quiet"])
        #expect(try parsed(["demo", "-"]).positionals == ["-"])
        #expect(try parsed(["demo", "--", "--"]).positionals == ["--"])
    }

    @Test("a non-repeatable option given twice: the last wins")
    func lastWins() throws {
        let result = try parsed(["demo", "--key", "a", "-k", "b"])
        #expect(result.value("key") == "b")
        #expect(result.occurrences.count == 2)
    }

    @Test("an optional value is taken only from an argument that does not start with -")
    func optionalValue() throws {
        #expect(try parsed(["demo", "--jti"]).has("jti"))
        #expect(try parsed(["demo", "--jti"]).value("jti") == nil)
        #expect(try parsed(["demo", "--jti", "abc"]).value("jti") == "abc")
        let beforeOption = try parsed(["demo", "--jti", "-q"])
        #expect(beforeOption.value("jti") == nil)
        #expect(beforeOption.has("quiet"))
        let beforeStdin = try parsed(["demo", "--jti", "-"])
        #expect(beforeStdin.value("jti") == nil)
        #expect(beforeStdin.positionals == ["-"])
        #expect(try parsed(["demo", "--jti=-x"]).value("jti") == "-x")
    }

    @Test("choices are validated, with a case-insensitive suggestion")
    func choices() throws {
        #expect(try parsed(["demo", "--alg", "ES256"]).value("alg") == "ES256")
        let error = try #require(usageError(["demo", "--alg", "es256"]))
        #expect(error.code == "invalid_value")
        #expect(error.command == "demo")
        #expect(error.hint == "Did you mean 'ES256'?")
        #expect(usageError(["demo", "--alg=RS256"])?.code == "invalid_value")
    }

    @Test("unknown options, with did-you-mean")
    func unknownOption() throws {
        let error = try #require(usageError(["demo", "--kee", "x"]))
        #expect(error.code == "unknown_option")
        #expect(error.command == "demo")
        #expect(error.hint == "Did you mean '--key'?")
        #expect(usageError(["demo", "--jsno"])?.hint == "Did you mean '--json'?")
        #expect(usageError(["demo", "-x"])?.code == "unknown_option")
        #expect(usageError(["demo", "-qx"])?.code == "unknown_option")
        // Nothing close: no hint. Hidden options are never suggested, but still parse.
        #expect(usageError(["demo", "--frobnicate"])?.hint == nil)
        #expect(usageError(["demo", "--secret-debu"])?.hint == nil)
        #expect(try parsed(["demo", "--secret-debug", "1"]).value("secret-debug") == "1")
    }

    @Test("an unknown option's attached value is never echoed")
    func unknownOptionHidesValue() throws {
        let error = try #require(usageError(["demo", "--secret=hunter2"]))
        #expect(error.code == "unknown_option")
        #expect(!error.description.contains("hunter2"))
    }

    @Test("missing values")
    func missingValue() throws {
        #expect(usageError(["demo", "--key"])?.code == "missing_value")
        #expect(usageError(["demo", "-k"])?.code == "missing_value")
        #expect(usageError(["demo", "--json", "--key"])?.code == "missing_value")
    }

    @Test("a value that starts with '-' is taken, as getopt does (issue 6)")
    func dashValues() throws {
        #expect(try parsed(["demo", "--key", "-abc"]).value("key") == "-abc")
        #expect(try parsed(["demo", "-k", "-q"]).value("key") == "-q")
        #expect(try parsed(["demo", "--key", "--json"]).value("key") == "--json")
        #expect(try parsed(["demo", "--key", "--json"]).has("json") == false)
        #expect(try parsed(["demo", "--aud", "-", "--aud", "--x"]).values("aud") == ["-", "--x"])
        // An optional value is never taken from an argument that starts with '-'.
        let optional = try parsed(["demo", "--jti", "-q"])
        #expect(optional.has("jti") && optional.value("jti") == nil && optional.has("quiet"))
        #expect(try parsed(["demo", "--jti", "-"]).positionals == ["-"])
    }

    @Test("a value for a switch")
    func unexpectedValue() {
        #expect(usageError(["demo", "--json=yes"])?.code == "unexpected_value")
        #expect(usageError(["demo", "--help=yes"])?.code == "unexpected_value")
        #expect(usageError(["demo", "-qv=1"])?.code == "unknown_option")
    }

    @Test("conflicting options, declared on either side")
    func conflicts() {
        let error = usageError(["demo", "--quiet", "--json"])
        #expect(error?.code == "conflicting_options")
        #expect(error?.message == "'--quiet' cannot be combined with '--json'")
        #expect(usageError(["demo", "--json", "-q"])?.code == "conflicting_options")
        #expect(usageError(["demo", "--json", "--json"]) == nil)
    }

    @Test("argument counts")
    func argumentCounts() throws {
        let missing = try #require(usageError(["pair", "one"]))
        #expect(missing.code == "missing_argument")
        #expect(missing.message.contains("SECOND"))
        #expect(try parsed(["pair", "one", "two"]).positionals == ["one", "two"])
        #expect(usageError(["pair", "a", "b", "c"])?.code == "too_many_arguments")
        let extra = try #require(usageError(["none", "s3cret"]))
        #expect(extra.code == "too_many_arguments")
        #expect(!extra.description.contains("s3cret"))
    }

    @Test("-h and --help anywhere before -- ask for the command's help")
    func helpAnywhere() throws {
        for arguments in [["demo", "--help"], ["demo", "-h"], ["demo", "--kee", "x", "-h"], ["demo", "--key", "--help"]] {
            guard case .help(let command) = try Parser.parse(arguments, table: table) else {
                Issue.record("expected help for \(arguments)")
                continue
            }
            #expect(command.name == "demo")
        }
        #expect(try parsed(["demo", "--", "-h"]).positionals == ["-h"])
        #expect(try parsed(["demo", "--key=--help"]).value("key") == "--help")
    }

    @Test("top level: overview, version, help COMMAND, generate")
    func topLevel() throws {
        guard case .overview(isError: true) = try Parser.parse([], table: table) else {
            Issue.record("no arguments: expected the overview as an error")
            return
        }
        for arguments in [["--help"], ["-h"], ["help"]] {
            guard case .overview(isError: false) = try Parser.parse(arguments, table: table) else {
                Issue.record("expected the overview for \(arguments)")
                continue
            }
        }
        for arguments in [["--version"], ["version"]] {
            guard case .version = try Parser.parse(arguments, table: table) else {
                Issue.record("expected the version for \(arguments)")
                continue
            }
        }
        guard case .help(let command) = try Parser.parse(["help", "pair"], table: table) else {
            Issue.record("expected help for pair")
            return
        }
        #expect(command.name == "pair")
        guard case .generate(.completionZsh, nil) = try Parser.parse(["--generate", "completion-zsh"], table: table),
            case .generate(.man, "t.in") = try Parser.parse(["--generate=man", "t.in"], table: table)
        else {
            Issue.record("expected --generate")
            return
        }
        #expect(usageError(["--generate", "pdf"])?.code == "invalid_value")
        #expect(usageError(["--generate"])?.code == "missing_value")
        #expect(usageError(["version", "x"])?.code == "too_many_arguments")
    }

    @Test("unknown commands, with did-you-mean")
    func unknownCommand() throws {
        let error = try #require(usageError(["dmeo"]))
        #expect(error.code == "unknown_command")
        #expect(error.command == nil)
        #expect(error.hint == "Did you mean 'demo'?")
        #expect(usageError(["help", "pari"])?.hint == "Did you mean 'pair'?")
        #expect(usageError(["zzzzzz"])?.hint == nil)
        #expect(usageError(["--frob"])?.code == "unknown_option")
    }

    @Test("global options before the command come first in the parsed arguments")
    func globalsBeforeCommand() throws {
        let result = try parsed(["--color", "never", "demo", "-q"])
        #expect(result.occurrences == [.init(name: "color", value: "never"), .init(name: "quiet", value: nil)])
        #expect(try parsed(["demo", "--color=always"]).value("color") == "always")
        #expect(usageError(["--color", "sometimes", "demo"])?.code == "invalid_value")
        #expect(usageError(["demo", "--color", "sometimes"])?.code == "invalid_value")
        guard case .overview(isError: true) = try Parser.parse(["--color", "never"], table: table) else {
            Issue.record("global options alone: expected the overview as an error")
            return
        }
    }

    @Test("edit distance counts a swap of neighbours as one edit")
    func editDistance() {
        #expect(Parser.editDistance("sign", "sing") == 1)
        #expect(Parser.editDistance("kitten", "sitting") == 3)
        #expect(Parser.editDistance("", "abc") == 3)
        #expect(Parser.closest(to: "max", among: ["json", "max-age", "max-token-bytes"]) == "max-age")
        #expect(Parser.closest(to: "x", among: ["json", "key"]) == nil)
    }
}
