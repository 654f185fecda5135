extension Completions {
    /// The zsh completion script (install as `_tokenctl` in a directory of `$fpath`).
    public static func zsh(_ table: CommandTable) -> String {
        let function = "_\(table.program.replacing("-", with: "_"))"
        var script = "#compdef \(table.program)\n" + header(table, shell: "zsh")
        script += "\n\(function)_commands() {\n    local -a commands\n    commands=(\n"
        let builtins = [("help", "Show the help of a command"), ("version", "Print the version")]
        for (name, abstract) in table.commands.map({ ($0.name, summary($0.abstract)) }) + builtins {
            script += "        \(zshQuote("\(name):\(abstract)"))\n"
        }
        script += "    )\n    _describe -t commands '\(table.program) command' commands\n}\n"
        for command in table.commands {
            script += "\n\(function)_\(command.name.replacing("-", with: "_"))() {\n"
            script += "    _arguments -s -S \\\n"
            for option in visibleOptions(command, table) {
                script += "        \(zshSpec(option, in: command, table)) \\\n"
            }
            if command.maximumArguments != 0 {
                let placeholder = zshEscape(command.arguments.trimmingCharacters(in: "[]."))
                let action = command.argumentsMayBeFiles ? "_files" : " "
                script += "        \(zshQuote("*:\(placeholder):\(action)")) \\\n"
            }
            script += "        && return\n}\n"
        }
        let global = table.globalOptions.filter { !$0.hidden && $0.long != "help" }
        script += """

            \(function)() {
                local curcontext="$curcontext" state line
                typeset -A opt_args
                _arguments -C \\
                    '(- *)'{-h,--help}'[Show help]' \\
                    '(- *)--version[Print the version]' \\

            """
        for option in global {
            script += "        \(zshSpec(option, in: nil, table)) \\\n"
        }
        script += """
                    '1: :\(function)_commands' \\
                    '*:: :->arguments' && return
                case $state in
                    arguments)
                        curcontext="${curcontext%:*:*}:\(table.program)-$words[1]:"
                        case $words[1] in
                            help) _arguments '1: :\(function)_commands' ;;

            """
        for command in table.commands {
            script += "                \(command.name)) \(function)_\(command.name.replacing("-", with: "_")) ;;\n"
        }
        script += """
                        esac
                        ;;
                esac
            }

            \(function) "$@"

            """
        return script
    }

    /// One `_arguments` spec: `'(-k --key --keyset)'{-k+,--key=}'[Help]:FILE:_files'`.
    static func zshSpec(_ option: OptionSpec, in command: CommandSpec?, _ table: CommandTable) -> String {
        var exclusions: [String] = []
        if !option.repeatable { exclusions += spellings(option) }
        if let command {
            let others = command.options.filter {
                option.conflicts.contains($0.long) || $0.conflicts.contains(option.long)
            }
            exclusions += others.flatMap(spellings)
        }
        let prefix = option.repeatable ? "*" : (exclusions.isEmpty ? "" : "(\(exclusions.joined(separator: " ")))")
        let help = "[\(zshEscape(summary(option.help)))]"
        var argument = ""
        if let value = option.value {
            let action: String
            switch option.completion {
            case .none: action = " "
            case .choices: action = "(\(option.choices.joined(separator: " ")))"
            case .file(let extensions) where extensions.isEmpty: action = "_files"
            case .file(let extensions): action = "_files -g \"*.(\(extensions.joined(separator: "|")))(-.)\""
            case .directory: action = "_files -/"
            case .environment: action = "_parameters -g \"*export*\""
            case .words(let words): action = "(\(words.joined(separator: " ")))"
            }
            argument = (option.valueIsOptional ? "::" : ":") + zshEscape(value) + ":" + action
        }
        let longSuffix = option.isSwitch ? "" : (option.valueIsOptional ? "=-" : "=")
        let long = "--\(option.long)\(longSuffix)"
        if let short = option.short {
            let shortSuffix = option.isSwitch ? "" : (option.valueIsOptional ? "-" : "+")
            return "\(zshQuote(prefix)){-\(short)\(shortSuffix),\(long)}\(zshQuote(help + argument))"
        }
        return zshQuote(prefix + long + help + argument)
    }

    /// Escapes the characters `_arguments` gives a meaning to inside descriptions and messages.
    static func zshEscape(_ text: String) -> String {
        var out = ""
        for character in text {
            if "[]:\\".contains(character) { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// Single-quotes a word for zsh (empty stays empty).
    static func zshQuote(_ text: String) -> String {
        text.isEmpty ? "" : "'" + text.replacing("'", with: "'\\''") + "'"
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        var slice = Substring(self)
        while let first = slice.first, set.contains(first) { slice.removeFirst() }
        while let last = slice.last, set.contains(last) { slice.removeLast() }
        return String(slice)
    }
}
