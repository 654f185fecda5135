import TokenKit

/// The man page: a hand-written roff template (`man/tokenctl.1.in`) whose placeholders
/// are filled from the command table and the error code list.
///
/// Placeholders: `@VERSION@`, `@SYNOPSIS@`, `@COMMANDS@`, `@GLOBAL_OPTIONS@`, `@EXAMPLES@`,
/// `@EXIT_STATUS@`, `@ERROR_CODES@` (every `TokenError.Code`), `@USAGE_CODES@` (every
/// ``UsageError`` code), `@SIZE_BUDGETS@` (every named `SizeBudget` with its source),
/// `@SIZE_RULES@` (every `ClaimPolicy` rule).
public enum ManPage {
    /// Fills the template's placeholders.
    public static func render(_ table: CommandTable, template: String) -> String {
        let replacements: [(String, String)] = [
            ("@VERSION@", table.version),
            ("@SYNOPSIS@", synopsis(table)),
            ("@COMMANDS@", commands(table)),
            ("@GLOBAL_OPTIONS@", globalOptions(table)),
            ("@EXAMPLES@", examples(table)),
            ("@EXIT_STATUS@", exitStatus()),
            ("@ERROR_CODES@", errorCodes()),
            ("@USAGE_CODES@", usageCodes()),
            ("@SIZE_BUDGETS@", sizeBudgets()),
            ("@SIZE_RULES@", sizeRules()),
        ]
        var page = template
        for (placeholder, text) in replacements {
            page = page.replacing(placeholder, with: text)
        }
        return page
    }

    static func sizeBudgets() -> String {
        SizeBudget.known.flatMap { budget in
            [".TP", "\\fB\(escape(budget.name ?? ""))\\fR (\(budget.bytes) bytes)", escape(budget.source)]
        }.joined(separator: "\n")
    }

    static func sizeRules() -> String {
        Finding.Rule.all.flatMap { rule in [".TP", "\\fB\(escape(rule.id))\\fR", escape(rule.summary)] }
            .joined(separator: "\n")
    }

    static func synopsis(_ table: CommandTable) -> String {
        var lines: [String] = []
        for command in table.commands {
            lines.append(".B \(table.program) \(escape(command.name))")
            let arguments = command.arguments.isEmpty ? "" : " \(escape(command.arguments))"
            lines.append("[\\fIoptions\\fR]\(arguments)")
            lines.append(".br")
        }
        lines.append(".B \(table.program) help")
        lines.append("\\fICOMMAND\\fR")
        lines.append(".br")
        lines.append(".B \(table.program) \\-\\-version")
        return lines.joined(separator: "\n")
    }

    static func commands(_ table: CommandTable) -> String {
        var lines: [String] = []
        for command in table.commands {
            lines.append(".SS \"\(escape(table.usage(of: command)))\"")
            lines.append(escape(command.abstract))
            for paragraph in paragraphs(command.discussion) {
                lines += [".PP", escape(paragraph)]
            }
            if !command.arguments.isEmpty {
                lines += [".TP", "\\fI\(escape(command.arguments))\\fR", escape(command.argumentHelp)]
            }
            for option in command.options where !option.hidden {
                lines += optionEntry(option)
            }
        }
        return lines.joined(separator: "\n")
    }

    static func globalOptions(_ table: CommandTable) -> String {
        var lines: [String] = []
        for option in table.globalOptions where !option.hidden {
            lines += optionEntry(option)
        }
        lines += [".TP", "\\fB\\-\\-version\\fR", "Print the version and exit (also: \\fB\(table.program) version\\fR)."]
        return lines.joined(separator: "\n")
    }

    static func examples(_ table: CommandTable) -> String {
        var lines: [String] = []
        for command in table.commands {
            lines += [".SS \(escape(command.name))", ".RS 4", ".nf"]
            for (index, example) in command.splitExamples.enumerated() {
                if index > 0 { lines.append(".sp") }
                if let comment = example.comment { lines.append("# \(escape(comment))") }
                lines.append(escape(example.command))
            }
            lines += [".fi", ".RE"]
        }
        return lines.joined(separator: "\n")
    }

    static func exitStatus() -> String {
        ExitStatus.allCases.map { ".TP\n.B \($0.rawValue)\n\(escape($0.meaning))" }.joined(separator: "\n")
    }

    static func errorCodes() -> String {
        TokenError.Code.all.map { code in
            ".TP\n\\fB\(escape(code.id))\\fR (exit \(ExitStatus(for: code).rawValue))\n\(escape(code.summary))"
        }.joined(separator: "\n")
    }

    static func usageCodes() -> String {
        UsageError.codes.map { ".TP\n\\fB\(escape($0.id))\\fR (exit 2)\n\(escape($0.summary))" }
            .joined(separator: "\n")
    }

    /// One option as a tagged paragraph.
    static func optionEntry(_ option: OptionSpec) -> [String] {
        var tag = option.short.map { "\\fB\\-\($0)\\fR, " } ?? ""
        tag += "\\fB\\-\\-\(escape(option.long))\\fR"
        if let value = option.value {
            tag += option.valueIsOptional ? " [\\fI\(escape(value))\\fR]" : " \\fI\(escape(value))\\fR"
        }
        return [".TP", tag, escape(Help.description(option))]
    }

    static func paragraphs(_ text: String) -> [String] {
        text.split(separator: "\n\n", omittingEmptySubsequences: false).map { String($0).replacing("\n", with: " ").trimmingSpaces() }
            .filter { !$0.isEmpty }
    }

    /// Escapes text for roff: backslashes, option dashes (`\-`), and a leading `.` or `'`.
    static func escape(_ text: String) -> String {
        var out = ""
        var previous: Character? = nil
        for character in text {
            switch character {
            case "\\": out += "\\e"
            case "-" where previous == nil || previous == "-" || " ([{\"'|/`".contains(previous!):
                out += "\\-"
            default: out.append(character)
            }
            previous = character
        }
        if out.hasPrefix(".") || out.hasPrefix("'") { out = "\\&" + out }
        return out
    }
}
