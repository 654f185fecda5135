/// `--help` text, rendered from the command table (SAP-like layout: OVERVIEW, USAGE,
/// ARGUMENTS, OPTIONS, EXAMPLES, EXIT STATUS).
public enum Help {
    /// The column where option descriptions start (labels longer than this go on their own line).
    static let helpColumn = 30

    /// The help of one command, wrapped at `width` columns.
    public static func render(_ command: CommandSpec, table: CommandTable, width: Int = 80) -> String {
        var lines: [String] = []
        lines += TextWrap.wrap("OVERVIEW: \(command.abstract)", width: width, indent: 2, firstIndent: 0)
        if !command.discussion.isEmpty {
            lines.append("")
            lines += TextWrap.wrap(command.discussion, width: width, indent: 2)
        }
        lines += ["", "USAGE: \(table.usage(of: command))"]
        if !command.arguments.isEmpty {
            lines += ["", "ARGUMENTS:"]
            lines += labelled(command.arguments, command.argumentHelp, width: width)
        }
        lines += ["", "OPTIONS:"]
        for option in table.options(of: command) where !option.hidden {
            lines += labelled(label(option), description(option), width: width)
        }
        if !command.examples.isEmpty {
            lines += ["", "EXAMPLES:"]
            for (index, example) in command.splitExamples.enumerated() {
                if let comment = example.comment {
                    if index > 0 { lines.append("") }
                    lines += TextWrap.wrap("# \(comment)", width: width, indent: 4, firstIndent: 2)
                }
                lines.append("  \(example.command)")
            }
        }
        lines += ["", "EXIT STATUS:"]
        lines += exitStatusLines(width: width)
        lines.append("")
        lines += TextWrap.wrap(
            "See 'man \(table.program)' for every error code, the duration and instant syntax, and the bounds.",
            width: width, indent: 0)
        return lines.joined(separator: "\n") + "\n"
    }

    /// The overview of every command (`tokenctl --help`, and `tokenctl` alone on stderr).
    public static func overview(_ table: CommandTable, width: Int = 80) -> String {
        var lines: [String] = []
        lines += TextWrap.wrap("OVERVIEW: \(table.abstract)", width: width, indent: 2, firstIndent: 0)
        lines += ["", "USAGE: \(table.program) COMMAND [options] [arguments]", "", "COMMANDS:"]
        let builtins = [
            ("help COMMAND", "Show the help of a command."),
            ("version", "Print the version."),
        ]
        for (name, abstract) in table.commands.map({ ($0.name, $0.abstract) }) + builtins {
            lines += labelled(name, abstract, width: width, column: 18)
        }
        lines += ["", "GLOBAL OPTIONS:"]
        for option in table.globalOptions where !option.hidden {
            lines += labelled(label(option), description(option), width: width)
        }
        lines += labelled("    --version", "Print the version and exit.", width: width)
        lines += ["", "EXIT STATUS:"]
        lines += exitStatusLines(width: width)
        lines.append("")
        lines += TextWrap.wrap(
            "See '\(table.program) help COMMAND' for the options of a command, and 'man \(table.program)' "
                + "for everything.", width: width, indent: 0)
        return lines.joined(separator: "\n") + "\n"
    }

    /// An option's label: `-k, --key FILE`, or `    --json` so that long names align.
    static func label(_ option: OptionSpec) -> String {
        option.short == nil ? "    \(option.synopsis)" : option.synopsis
    }

    /// An option's description: its help, then its choices and whether it repeats.
    static func description(_ option: OptionSpec) -> String {
        var text = option.help
        if !option.choices.isEmpty { text += " One of: \(option.choices.joined(separator: ", "))." }
        if option.repeatable { text += " (repeatable)" }
        return text
    }

    /// The three exit statuses, one entry each.
    static func exitStatusLines(width: Int) -> [String] {
        ExitStatus.allCases.flatMap { status in
            labelled("\(status.rawValue)", status.meaning, width: width, column: 6)
        }
    }

    /// A two-column entry: `label` at column 2, `text` wrapped from `column` (or on the next
    /// line when the label is too long).
    static func labelled(_ label: String, _ text: String, width: Int, column: Int = helpColumn) -> [String] {
        let head = "  \(label)"
        if text.isEmpty { return [head] }
        if head.count + 2 <= column {
            var lines = TextWrap.wrap(text, width: width, indent: column, firstIndent: column)
            let first = lines[0]
            lines[0] = head + String(first.dropFirst(head.count))
            return lines
        }
        return [head] + TextWrap.wrap(text, width: width, indent: column)
    }
}
