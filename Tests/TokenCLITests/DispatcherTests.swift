import Testing
import TokenKit
@testable import TokenCLI

/// Runs a command line in-process and returns its status and output.
func runCLI(
    _ arguments: [String], table: CommandTable = .tokenctl, environment: [String: String] = [:]
) -> (status: TokenCLI.ExitStatus, stdout: String, stderr: String) {
    let stdout = BufferOutput(), stderr = BufferOutput()
    let console = Console(stdin: BufferInput(), stdout: stdout, stderr: stderr, environment: environment)
    let status = TokenCTL.run(arguments: arguments, console: console, table: table)
    return (status, stdout.text, stderr.text)
}

/// A table whose one command throws whatever the test asks for.
private func throwingTable(_ error: any Error) -> CommandTable {
    let command = CommandSpec(
        name: "boom", abstract: "Throws.", examples: ["tokenctl boom"],
        options: [OptionSpec(long: "json", help: "JSON.")],
        run: { _, _ in throw error })
    return CommandTable(
        program: "tokenctl", abstract: "Test.", version: "1", commands: [command],
        globalOptions: CommandTable.tokenctl.globalOptions)
}

private struct Unexpected: Error {}

@Suite("Dispatcher")
struct DispatcherTests {
    @Test("--version and version print one line on stdout")
    func version() {
        for arguments in [["--version"], ["version"]] {
            let result = runCLI(arguments)
            #expect(result.status == .success)
            #expect(result.stdout == "tokenctl \(TokenCTL.version)\n")
            #expect(result.stderr.isEmpty)
        }
        #expect(TokenCTL.version == "0.1.0")
    }

    @Test("help verify, verify --help and verify -h print the same help on stdout")
    func helpVerify() {
        let help = runCLI(["help", "verify"])
        #expect(help.status == .success)
        #expect(help.stdout.hasPrefix("OVERVIEW: Verify"))
        #expect(help.stdout.contains("USAGE: tokenctl verify [options] [TOKEN...]"))
        #expect(help.stderr.isEmpty)
        #expect(runCLI(["verify", "--help"]).stdout == help.stdout)
        #expect(runCLI(["verify", "--no-such", "-h"]).stdout == help.stdout)
    }

    @Test("--help prints the overview on stdout; no arguments print it on stderr with status 2")
    func overview() {
        let help = runCLI(["--help"])
        #expect(help.status == .success)
        #expect(help.stdout.contains("COMMANDS:"))
        let bare = runCLI([])
        #expect(bare.status == .usage)
        #expect(bare.stdout.isEmpty)
        #expect(bare.stderr == help.stdout)
    }

    @Test("an unknown command: status 2, error line, usage and pointer to --help")
    func unknownCommand() {
        let result = runCLI(["verfy"])
        #expect(result.status == .usage)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == """
            tokenctl: error[unknown_command]: unknown command 'verfy'. Did you mean 'verify'?
            Usage: tokenctl COMMAND [options] [arguments]
            See 'tokenctl --help'.

            """)
    }

    @Test("an unknown option: status 2, error[unknown_option] and did-you-mean")
    func unknownOption() {
        let result = runCLI(["verify", "--keey", "pub.pem"])
        #expect(result.status == .usage)
        #expect(result.stderr == """
            tokenctl: verify: error[unknown_option]: unknown option '--keey'. Did you mean '--key'?
            Usage: tokenctl verify [options] [TOKEN...]
            See 'tokenctl verify --help'.

            """)
    }

    @Test("usage errors thrown by a command are reported under its name")
    func commandUsageError() {
        let result = runCLI(["boom"], table: throwingTable(UsageError.conflicting("--a", "--b")))
        #expect(result.status == .usage)
        #expect(result.stderr.hasPrefix("tokenctl: boom: error[conflicting_options]: '--a' cannot be combined with '--b'\n"))
        #expect(result.stderr.contains("Usage: tokenctl boom [options]\nSee 'tokenctl boom --help'.\n"))
    }

    @Test("TokenError exits with its code's status and no usage lines")
    func tokenErrors() {
        let rejected = runCLI(["boom"], table: throwingTable(TokenError(.expired, "expired 3d ago")))
        #expect(rejected.status == .rejected)
        #expect(rejected.stderr == "tokenctl: boom: error[expired]: expired 3d ago\n")
        let usage = runCLI(["boom"], table: throwingTable(TokenError(.malformedKey, "not a PEM file")))
        #expect(usage.status == .usage)
        #expect(usage.stderr == "tokenctl: boom: error[malformed_key]: not a PEM file\n")
    }

    @Test("any other error is a backend_failure with status 2")
    func otherErrors() {
        let result = runCLI(["boom"], table: throwingTable(Unexpected()))
        #expect(result.status == .usage)
        #expect(result.stderr.hasPrefix("tokenctl: boom: error[backend_failure]: "))
    }

    @Test("the placeholder commands are wired to the table")
    func placeholders() {
        let result = runCLI(["decode", "--json", "x"])
        #expect(result.status == .usage || result.status == .rejected || result.status == .success)
        #expect(!result.stderr.contains("unknown_command"))
    }

    @Test("--generate prints the completions")
    func generate() {
        let bash = runCLI(["--generate", "completion-bash"])
        #expect(bash.status == .success)
        #expect(bash.stdout == Completions.bash(.tokenctl))
        let missing = runCLI(["--generate", "man", "/nonexistent/tokenctl.1.in"])
        #expect(missing.status == .usage)
        #expect(missing.stderr.contains("error[input_unreadable]"))
    }

    @Test("warn writes one warning line on stderr")
    func warn() {
        let stderr = BufferOutput()
        let console = Console(stdin: BufferInput(), stdout: BufferOutput(), stderr: stderr, environment: [:])
        console.warn("sign", "the token never expires")
        #expect(stderr.text == "tokenctl: sign: warning: the token never expires\n")
    }

    @Test("colour: --color decides; auto needs a terminal and no NO_COLOR")
    func color() throws {
        func console(terminal: Bool, _ environment: [String: String] = [:]) -> Console {
            Console(stdin: BufferInput(), stdout: BufferOutput(isTerminal: terminal), stderr: BufferOutput(), environment: environment)
        }
        func arguments(_ color: String?) -> ParsedArguments {
            ParsedArguments(occurrences: color.map { [.init(name: "color", value: $0)] } ?? [])
        }
        #expect(console(terminal: true).useColor(arguments(nil)))
        #expect(console(terminal: true).useColor(arguments("auto")))
        #expect(!console(terminal: false).useColor(arguments(nil)))
        #expect(!console(terminal: true, ["NO_COLOR": "1"]).useColor(arguments(nil)))
        #expect(console(terminal: true, ["NO_COLOR": ""]).useColor(arguments(nil)))
        #expect(!console(terminal: true, ["TERM": "dumb"]).useColor(arguments(nil)))
        #expect(!console(terminal: true).useColor(arguments("never")))
        #expect(console(terminal: false, ["NO_COLOR": "1"]).useColor(arguments("always")))
        let stderrTerminal = Console(
            stdin: BufferInput(), stdout: BufferOutput(), stderr: BufferOutput(isTerminal: true), environment: [:])
        #expect(stderrTerminal.useColor(arguments(nil), for: stderrTerminal.stderr))
        #expect(Painter(enabled: true).red("x") == "\u{1B}[31mx\u{1B}[0m")
        #expect(Painter(enabled: false).red("x") == "x")
    }
}
