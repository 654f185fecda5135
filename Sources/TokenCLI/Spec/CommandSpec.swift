/// What a command does once its arguments are parsed. It reads and writes only through
/// the console, and reports failures by throwing ``UsageError`` or `TokenError`;
/// ``TokenCTL/run(arguments:console:)`` turns them into diagnostics and exit statuses.
public typealias CommandRun = @Sendable (ParsedArguments, Console) throws -> ExitStatus

/// One subcommand of tokenctl: everything the parser, `--help`, the man page and the
/// shell completions know about it.
public struct CommandSpec: Sendable {
    /// The subcommand name in kebab-case (`"inspect-size"`).
    public var name: String
    /// One line (at most 79 columns) saying what the command does, ending with a period.
    public var abstract: String
    /// Further paragraphs for `--help` and the man page, separated by blank lines.
    public var discussion: String
    /// The positional arguments in usage syntax: `""` (none), `"[TOKEN...]"`, `"FILE"`.
    /// Words in brackets are optional; `...` allows any number.
    public var arguments: String
    /// What the positional arguments are, for the ARGUMENTS section of `--help`.
    public var argumentHelp: String
    /// Examples, each `"tokenctl ...  # what it does"` (the comment is optional).
    public var examples: [String]
    /// The command's own options (the global ones are added by the table).
    public var options: [OptionSpec]
    /// The command's implementation.
    public var run: CommandRun

    /// Creates a command.
    public init(
        name: String, abstract: String, discussion: String = "", arguments: String = "",
        argumentHelp: String = "", examples: [String], options: [OptionSpec], run: @escaping CommandRun
    ) {
        self.name = name
        self.abstract = abstract
        self.discussion = discussion
        self.arguments = arguments
        self.argumentHelp = argumentHelp
        self.examples = examples
        self.options = options
        self.run = run
    }

    /// The fewest positional arguments the command needs (words of ``arguments`` not in brackets).
    public var minimumArguments: Int {
        argumentWords.filter { !$0.hasPrefix("[") }.count
    }

    /// The most positional arguments the command takes, or `nil` when unbounded (`...`).
    public var maximumArguments: Int? {
        argumentsMention("...") ? nil : argumentWords.count
    }

    /// Whether a positional argument may name a file (its placeholder mentions `FILE`),
    /// so that shells complete file names for it.
    public var argumentsMayBeFiles: Bool { argumentsMention("FILE") }

    /// Whether ``arguments`` holds `text`, compared as bytes. (`String.contains(_:)` with a
    /// string is the regex library's generic search: ~18,000 instructions at its first use,
    /// in every run, since the parser asks for ``maximumArguments``.)
    private func argumentsMention(_ text: StaticString) -> Bool {
        let haystack = Array(arguments.utf8)
        return text.withUTF8Buffer { needle in
            guard needle.count <= haystack.count else { return false }
            return (0...(haystack.count - needle.count)).contains { start in
                haystack[start..<(start + needle.count)].elementsEqual(needle)
            }
        }
    }

    private var argumentWords: [Substring] {
        arguments.split(separator: " ")
    }

    /// The examples split into command and comment (`"cmd  # comment"`).
    public var splitExamples: [(command: String, comment: String?)] {
        examples.map { example in
            guard let range = example.firstRange(of: "  # ") else {
                return (example.trimmingSpaces(), nil)
            }
            return (
                String(example[..<range.lowerBound]).trimmingSpaces(),
                String(example[range.upperBound...]).trimmingSpaces()
            )
        }
    }
}

extension String {
    /// The string without leading and trailing spaces.
    func trimmingSpaces() -> String {
        var slice = Substring(self)
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return String(slice)
    }
}
