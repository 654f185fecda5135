#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TokenKit

/// The entry point of the `tokenctl` executable: parses the command line against the
/// ``CommandTable``, runs the command, and turns every error into a one-line diagnostic
/// and one of the three exit statuses.
public enum TokenCTL {
    /// The version `tokenctl --version` prints: the one place it is written.
    public static let version = "0.1.0"

    /// Runs the command line of this process and exits with its status.
    /// SIGPIPE is ignored, so a closed pipe shows up as EPIPE on write and ends the process
    /// quietly with status 0 (see ``FileDescriptorOutput``) instead of killing it (141).
    /// SIGTERM and SIGINT are unblocked even when the parent blocked them (``SignalMask``).
    public static func main() -> Never {
        signal(SIGPIPE, SIG_IGN)
        SignalMask.unblockTermination()
        OpenSSLRuntime.prepareForShortProcess()
        let status = run(arguments: Array(CommandLine.arguments.dropFirst()), console: .standard())
        exit(status.rawValue)
    }

    /// Runs one command line in-process (without the program name) and returns its exit status.
    ///
    /// Help and version go to stdout with status 0. Errors go to stderr as
    /// `tokenctl: <cmd>: error[<code>]: <reason>`: a ``UsageError`` adds the usage line and a
    /// pointer to `--help` and exits 2; a `TokenError` exits with `ExitStatus(for: code)`;
    /// any other error exits 2 with code `backend_failure`. When a write to stdout failed
    /// (a full disk, `> /dev/full`), the status is 2 with code `output_unwritable`, whatever
    /// the command returned.
    public static func run(arguments: [String], console: Console, table: CommandTable = .tokenctl) -> ExitStatus {
        var commandName: String?
        let status = dispatch(arguments: arguments, console: console, table: table, commandName: &commandName)
        console.stdout.flush()
        if let failure = console.stdout.writeFailure {
            console.error(
                commandName, code: TokenError.Code.outputUnwritable.id, "cannot write to standard output: \(failure)")
            return .usage
        }
        return status
    }

    private static func dispatch(
        arguments: [String], console: Console, table: CommandTable, commandName: inout String?
    ) -> ExitStatus {
        do {
            switch try Parser.parse(arguments, table: table) {
            case .overview(let isError):
                let text = Help.overview(table)
                if isError {
                    console.stderr.write(text)
                    return .usage
                }
                console.stdout.write(text)
                return .success
            case .help(let command):
                console.stdout.write(Help.render(command, table: table))
                return .success
            case .version:
                console.stdout.write("\(table.program) \(table.version)\n")
                return .success
            case .generate(let artefact, let template):
                console.stdout.write(try generate(artefact, table: table, templatePath: template))
                return .success
            case .run(let command, let parsed):
                commandName = command.name
                return try command.run(parsed, console)
            }
        } catch var error as UsageError {
            error.command = error.command ?? commandName
            report(error, table: table, console: console)
            return .usage
        } catch let error as TokenError {
            console.error(commandName, code: error.code.id, error.reasonWithHint)
            return ExitStatus(for: error.code)
        } catch {
            console.error(commandName, code: TokenError.Code.backendFailure.id, String(describing: error))
            return .usage
        }
    }

    /// Prints a usage error with the usage line and the pointer to `--help`.
    static func report(_ error: UsageError, table: CommandTable, console: Console) {
        console.error(error.command, code: error.code, error.description)
        guard error.showsUsage else { return }
        if let name = error.command, let command = table.command(named: name) {
            console.stderr.write("Usage: \(table.usage(of: command))\n")
            console.stderr.write("See '\(table.program) \(name) --help'.\n")
        } else {
            console.stderr.write("Usage: \(table.program) COMMAND [options] [arguments]\n")
            console.stderr.write("See '\(table.program) --help'.\n")
        }
    }

    /// The text of a generated artefact. The man page reads its roff template from
    /// `templatePath`, by default `man/tokenctl.1.in` in the current directory.
    ///
    /// - Throws: `TokenError` `.inputUnreadable` when the template cannot be read.
    static func generate(_ artefact: Invocation.Artefact, table: CommandTable, templatePath: String?) throws -> String {
        switch artefact {
        case .man:
            let path = templatePath ?? "man/\(table.program).1.in"
            guard let bytes = try? FileAccess.read(path, what: "man page template") else {
                throw TokenError(.inputUnreadable, "cannot read the man page template '\(path)'")
            }
            return ManPage.render(table, template: String(decoding: bytes, as: UTF8.self))
        case .completionBash: return Completions.bash(table)
        case .completionZsh: return Completions.zsh(table)
        case .completionFish: return Completions.fish(table)
        }
    }
}
