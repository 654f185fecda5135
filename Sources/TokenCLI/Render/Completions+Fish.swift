extension Completions {
    /// The fish completion script (install as `tokenctl.fish` in a fish completions directory).
    public static func fish(_ table: CommandTable) -> String {
        let program = table.program
        let names = table.commands.map(\.name) + ["help", "version"]
        let atTop = "not __fish_seen_subcommand_from \(names.joined(separator: " "))"
        var lines = [header(table, shell: "fish"), "complete -c \(program) -f"]
        for command in table.commands {
            lines.append("complete -c \(program) -n \(fishQuote(atTop)) -a \(command.name) -d \(fishQuote(summary(command.abstract)))")
        }
        lines.append("complete -c \(program) -n \(fishQuote(atTop)) -a help -d 'Show the help of a command'")
        lines.append("complete -c \(program) -n \(fishQuote(atTop)) -a version -d 'Print the version'")
        lines.append("complete -c \(program) -n \(fishQuote(atTop)) -l version -d 'Print the version'")
        for option in table.globalOptions where !option.hidden {
            lines.append("complete -c \(program) \(fishOption(option))")
        }
        lines.append(
            "complete -c \(program) -n '__fish_seen_subcommand_from help' -a \(fishQuote(table.commands.map(\.name).joined(separator: " ")))")
        for command in table.commands {
            let condition = "-n \(fishQuote("__fish_seen_subcommand_from \(command.name)"))"
            lines.append("")
            for option in command.options where !option.hidden {
                lines.append("complete -c \(program) \(condition) \(fishOption(option))")
            }
            if command.argumentsMayBeFiles {
                lines.append("complete -c \(program) \(condition) -F")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `complete` flags of one option: names, value completion and description.
    static func fishOption(_ option: OptionSpec) -> String {
        var parts: [String] = []
        if let short = option.short { parts.append("-s \(short)") }
        parts.append("-l \(option.long)")
        if !option.isSwitch && !option.valueIsOptional {
            switch option.completion {
            case .none: parts.append("-x")
            case .choices: parts.append("-x -a \(fishQuote(option.choices.joined(separator: " ")))")
            case .file: parts.append("-r -F")
            case .directory: parts.append("-x -a '(__fish_complete_directories)'")
            case .environment: parts.append("-x -a '(set -xn)'")
            case .words(let words): parts.append("-x -a \(fishQuote(words.joined(separator: " ")))")
            }
        }
        parts.append("-d \(fishQuote(summary(option.help)))")
        return parts.joined(separator: " ")
    }

    /// Single-quotes a word for fish.
    static func fishQuote(_ text: String) -> String {
        "'" + text.replacing("\\", with: "\\\\").replacing("'", with: "\\'") + "'"
    }
}
