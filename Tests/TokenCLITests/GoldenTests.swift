import Foundation
import Testing
@testable import TokenCLI

/// The committed man page and completions must equal what the renderers produce from the
/// command table. `RECORD_SNAPSHOTS=1 swift test --filter GoldenTests` (or
/// `scripts/generate.sh`) re-records them.
@Suite("Golden files")
struct GoldenTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let recording = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Compares `rendered` with the committed file at `path`, or records it.
    static func check(_ rendered: String, against path: String) throws {
        if recording {
            try rendered.write(to: root.appendingPathComponent(path), atomically: true, encoding: .utf8)
            return
        }
        let committed = try read(path)
        guard committed != rendered else { return }
        let old = committed.split(separator: "\n", omittingEmptySubsequences: false)
        let new = rendered.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(old, new).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(old.count, new.count)
        let committedLine = line < old.count ? String(old[line]) : "<end of file>"
        let renderedLine = line < new.count ? String(new[line]) : "<end of file>"
        Issue.record("""
            \(path) is out of date: run scripts/generate.sh (or RECORD_SNAPSHOTS=1 swift test --filter GoldenTests).
            First difference at line \(line + 1):
              committed: \(committedLine)
              rendered:  \(renderedLine)
            """)
    }

    /// Runs `shell -n file` when the shell is installed; `nil` when it is not.
    static func syntaxCheck(_ shell: String, _ path: String) throws -> (status: Int32, output: String)? {
        guard let executable = ["/usr/bin/\(shell)", "/bin/\(shell)", "/usr/local/bin/\(shell)"]
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else { return nil }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-n", root.appendingPathComponent(path).path]
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }

    @Test("man/tokenctl.1 is the template filled from the table")
    func manPage() throws {
        let template = try Self.read("man/tokenctl.1.in")
        let page = ManPage.render(.tokenctl, template: template)
        #expect(page.range(of: "@[A-Z_]+@", options: .regularExpression) == nil, "unfilled placeholder")
        for section in [
            "NAME", "SYNOPSIS", "DESCRIPTION", "COMMANDS", "DURATIONS AND INSTANTS", "KEYS", "ENVIRONMENT",
            "EXIT STATUS", "BOUNDS", "FILES", "EXAMPLES", "SEE ALSO",
        ] {
            #expect(page.contains("\n.SH \(section.contains(" ") ? "\(section)" : section)\n"), "no section \(section)")
        }
        for variable in ["TOKENCTL_KEYSET", "XDG_CONFIG_HOME", "NO_COLOR"] {
            #expect(page.contains(".B \(variable)\n"), "\(variable) not documented")
        }
        for command in CommandTable.tokenctl.commands {
            for option in command.options where !option.hidden {
                #expect(page.contains("\\fB\\-\\-\(ManPage.escape(option.long))\\fR"), "--\(option.long)")
            }
        }
        for code in UsageError.codes {
            #expect(page.contains("\\fB\(code.id)\\fR (exit 2)"))
        }
        try Self.check(page, against: "man/tokenctl.1")
    }

    @Test("completions/tokenctl.bash is current and valid bash")
    func bash() throws {
        try Self.check(Completions.bash(.tokenctl), against: "completions/tokenctl.bash")
        if let result = try Self.syntaxCheck("bash", "completions/tokenctl.bash") {
            #expect(result.status == 0, "bash -n: \(result.output)")
        }
    }

    @Test("completions/_tokenctl is current and valid zsh (when zsh is installed)")
    func zsh() throws {
        try Self.check(Completions.zsh(.tokenctl), against: "completions/_tokenctl")
        if let result = try Self.syntaxCheck("zsh", "completions/_tokenctl") {
            #expect(result.status == 0, "zsh -n: \(result.output)")
        }
    }

    @Test("completions/tokenctl.fish is current and valid fish (when fish is installed)")
    func fish() throws {
        try Self.check(Completions.fish(.tokenctl), against: "completions/tokenctl.fish")
        if let result = try Self.syntaxCheck("fish", "completions/tokenctl.fish") {
            #expect(result.status == 0, "fish -n: \(result.output)")
        }
    }

    @Test("the completions offer every visible option of every command")
    func completeness() {
        let table = CommandTable.tokenctl
        let bash = Completions.bash(table), zsh = Completions.zsh(table), fish = Completions.fish(table)
        for command in table.commands {
            #expect(zsh.contains("\n_tokenctl_\(command.name.replacingOccurrences(of: "-", with: "_"))() {"))
            #expect(fish.contains("-a \(command.name) -d "))
            for option in table.options(of: command) where !option.hidden {
                #expect(bash.contains(" --\(option.long)"), "bash \(command.name) --\(option.long)")
                #expect(zsh.contains("--\(option.long)"), "zsh \(command.name) --\(option.long)")
                #expect(fish.contains("-l \(option.long) "), "fish \(command.name) --\(option.long)")
            }
            for option in command.options where !option.choices.isEmpty {
                #expect(bash.contains(option.choices.joined(separator: " ")))
            }
        }
    }

    @Test("roff escaping: option dashes become \\-, words keep their hyphens, backslashes and dots are safe")
    func roffEscape() {
        #expect(ManPage.escape("--key and -k") == "\\-\\-key and \\-k")
        #expect(ManPage.escape("size-lint") == "size-lint")
        #expect(ManPage.escape("a\\b") == "a\\eb")
        #expect(ManPage.escape(".hidden") == "\\&.hidden")
        #expect(ManPage.escape("(--alg)") == "(\\-\\-alg)")
    }
}
