/// What a command line asks tokenctl to do, once parsed. No I/O has happened yet.
public enum Invocation: Sendable {
    /// Print the overview of all commands: to stdout with exit 0 (`tokenctl --help`), or to
    /// stderr with exit 2 when no command was given at all.
    case overview(isError: Bool)
    /// Print a command's help (`tokenctl help verify`, `tokenctl verify --help`).
    case help(CommandSpec)
    /// Print the version line (`tokenctl --version`, `tokenctl version`).
    case version
    /// Print a generated artefact (hidden: `tokenctl --generate man [TEMPLATE]`).
    case generate(Artefact, template: String?)
    /// Run a command with its parsed arguments (global options before the command name
    /// included, in order).
    case run(CommandSpec, ParsedArguments)

    /// The documents `tokenctl --generate` prints, all pure functions of the command table.
    public enum Artefact: String, Sendable, CaseIterable {
        /// The man page, from the roff template (`man/tokenctl.1.in` unless given).
        case man
        /// The bash completion script.
        case completionBash = "completion-bash"
        /// The zsh completion script.
        case completionZsh = "completion-zsh"
        /// The fish completion script.
        case completionFish = "completion-fish"
    }
}

/// The command-line parser. It knows nothing but the ``CommandTable``: a command's
/// options, their value placeholders, choices and conflicts.
///
/// Syntax: `--long VALUE`, `--long=VALUE`, `-s VALUE`, `-sVALUE`, grouped short switches
/// (`-qh`; a short option that takes a value ends the group and takes the rest), `--` ends
/// the options, options and positional arguments may interleave, and `-` alone is a
/// positional argument (standard input). An option that takes a value takes the next
/// argument, even one that starts with `-` (as getopt does: `--kid -abc`); only an optional
/// value (`--jti [ID]`) is never taken from an argument that starts with `-` (write
/// `--jti=-x`). `-h`/`--help` anywhere before `--`
/// asks for the command's help, whatever else is wrong. A non-repeatable option given
/// twice is not an error: the last occurrence wins.
public enum Parser {
    /// Parses a whole command line (without the program name).
    ///
    /// - Throws: ``UsageError`` (`unknown_command`, `unknown_option`, `missing_value`,
    ///   `unexpected_value`, `invalid_value`, `conflicting_options`, `missing_argument`,
    ///   `too_many_arguments`).
    public static func parse(_ arguments: [String], table: CommandTable) throws(UsageError) -> Invocation {
        guard !arguments.isEmpty else { return .overview(isError: true) }
        var globals: [ParsedArguments.Occurrence] = []
        var index = 0
        // Global options may come before the command name.
        while index < arguments.count, arguments[index].hasPrefix("-"), arguments[index] != "-" {
            let argument = arguments[index]
            index += 1
            let (name, attached) = splitLong(argument)
            if argument == "-h" || name == "help" && argument.hasPrefix("--") {
                return .overview(isError: false)
            }
            switch name {
            case "version" where argument.hasPrefix("--"):
                if attached != nil { throw .unexpectedValue(option: "--version") }
                return .version
            case "generate" where argument.hasPrefix("--"):
                guard let value = attached ?? (index < arguments.count ? arguments[index] : nil) else {
                    throw .missingValue(option: "--generate", placeholder: "ARTEFACT")
                }
                if attached == nil { index += 1 }
                guard let artefact = Invocation.Artefact(rawValue: value) else {
                    let names = Invocation.Artefact.allCases.map(\.rawValue)
                    throw .invalidValue(
                        option: "--generate", value: value, reason: "expected one of \(names.joined(separator: ", "))")
                }
                return .generate(artefact, template: index < arguments.count ? arguments[index] : nil)
            default:
                var cursor = index - 1
                let occurrence = try parseOption(
                    arguments, at: &cursor, options: table.globalOptions, command: nil,
                    extraNames: ["version"])
                globals.append(contentsOf: occurrence)
                index = cursor
            }
        }
        guard index < arguments.count else { return .overview(isError: true) }
        let name = arguments[index]
        let rest = Array(arguments[(index + 1)...])
        switch name {
        case "help":
            guard let topic = rest.first(where: { !$0.hasPrefix("-") }) else { return .overview(isError: false) }
            if topic == "help" || topic == "version" { return .overview(isError: false) }
            guard let command = table.command(named: topic) else {
                throw .unknownCommand(topic, suggestion: closest(to: topic, among: table.commandNames))
            }
            return .help(command)
        case "version":
            if rest.contains("-h") || rest.contains("--help") { return .overview(isError: false) }
            if !rest.isEmpty { throw .tooManyArguments(given: rest.count, maximum: 0, command: "version") }
            return .version
        default:
            guard let command = table.command(named: name) else {
                let names = table.commandNames + ["help", "version"]
                throw .unknownCommand(name, suggestion: closest(to: name, among: names))
            }
            switch try parse(rest, for: command, globalOptions: table.globalOptions) {
            case .run(let command, var parsed):
                parsed.occurrences.insert(contentsOf: globals, at: 0)
                return .run(command, parsed)
            case let other:
                return other
            }
        }
    }

    /// Parses the arguments that follow a command name.
    ///
    /// - Returns: `.help(command)` when `-h`/`--help` appears before `--`, else `.run`.
    /// - Throws: ``UsageError`` with ``UsageError/command`` set to the command's name.
    public static func parse(
        _ arguments: [String], for command: CommandSpec, globalOptions: [OptionSpec]
    ) throws(UsageError) -> Invocation {
        for argument in arguments {
            if argument == "--" { break }
            if argument == "-h" || argument == "--help" { return .help(command) }
        }
        let options = command.options + globalOptions
        var parsed = ParsedArguments()
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" {
                parsed.positionals.append(contentsOf: arguments[(index + 1)...])
                break
            }
            if argument == "-" || !argument.hasPrefix("-") {
                parsed.positionals.append(argument)
                index += 1
                continue
            }
            parsed.occurrences += try parseOption(arguments, at: &index, options: options, command: command.name)
        }
        try checkConflicts(parsed, options: options, command: command.name)
        try checkPositionals(parsed.positionals, command: command)
        return .run(command, parsed)
    }

    /// Parses the option argument at `index` (which starts with `-`), advancing `index` past
    /// it and any value it took.
    private static func parseOption(
        _ arguments: [String], at index: inout Int, options: [OptionSpec], command: String?,
        extraNames: [String] = []
    ) throws(UsageError) -> [ParsedArguments.Occurrence] {
        let argument = arguments[index]
        index += 1
        if argument.hasPrefix("--") {
            let (name, attached) = splitLong(argument)
            guard let option = options.first(where: { $0.long == name }) else {
                let names = options.filter { !$0.hidden }.map(\.long) + extraNames
                throw .unknownOption(
                    "--\(name)", suggestion: closest(to: name, among: names).map { "--\($0)" }, command: command)
            }
            if option.isSwitch {
                if attached != nil { throw .unexpectedValue(option: "--\(name)", command: command) }
                return [.init(name: option.long, value: nil)]
            }
            var value = attached
            if value == nil {
                value = try takeValue(arguments, at: &index, option: option, written: "--\(name)", command: command)
            }
            return [.init(name: option.long, value: try validated(value, option: option, written: "--\(name)", command: command))]
        }
        // A group of short options: switches, possibly ending with one that takes a value.
        var occurrences: [ParsedArguments.Occurrence] = []
        var letters = Substring(argument.dropFirst())
        while let letter = letters.first {
            letters = letters.dropFirst()
            guard let option = options.first(where: { $0.short == letter }) else {
                throw .unknownOption("-\(letter)", command: command)
            }
            if option.isSwitch {
                occurrences.append(.init(name: option.long, value: nil))
                continue
            }
            var value: String? = String(letters)
            if letters.isEmpty {
                value = try takeValue(arguments, at: &index, option: option, written: "-\(letter)", command: command)
            }
            occurrences.append(
                .init(name: option.long, value: try validated(value, option: option, written: "-\(letter)", command: command)))
            break
        }
        return occurrences
    }

    /// Takes the option's value from the next argument: any argument for a required value
    /// (getopt), one that does not start with `-` for an optional value.
    private static func takeValue(
        _ arguments: [String], at index: inout Int, option: OptionSpec, written: String, command: String?
    ) throws(UsageError) -> String? {
        guard index < arguments.count else {
            if option.valueIsOptional { return nil }
            throw .missingValue(option: written, placeholder: option.value ?? "VALUE", command: command)
        }
        let next = arguments[index]
        // An optional value is never taken from an argument that starts with `-`: that one is
        // an option, or stdin.
        if option.valueIsOptional && next.hasPrefix("-") { return nil }
        index += 1
        return next
    }

    /// Checks a value against the option's choices.
    private static func validated(
        _ value: String?, option: OptionSpec, written: String, command: String?
    ) throws(UsageError) -> String? {
        guard let value, !option.choices.isEmpty, !option.choices.contains(value) else { return value }
        var error = UsageError.invalidValue(
            option: written, value: value,
            reason: "expected one of \(option.choices.joined(separator: ", "))", command: command)
        if let match = option.choices.first(where: { $0.lowercased() == value.lowercased() })
            ?? closest(to: value, among: option.choices)
        {
            error.hint = "Did you mean '\(match)'?"
        }
        throw error
    }

    private static func checkConflicts(
        _ parsed: ParsedArguments, options: [OptionSpec], command: String
    ) throws(UsageError) {
        var seen: [OptionSpec] = []
        for occurrence in parsed.occurrences {
            guard let option = options.first(where: { $0.long == occurrence.name }),
                !seen.contains(where: { $0.long == option.long })
            else { continue }
            if let other = seen.first(where: { $0.conflicts.contains(option.long) || option.conflicts.contains($0.long) }) {
                throw .conflicting("--\(other.long)", "--\(option.long)", command: command)
            }
            seen.append(option)
        }
    }

    private static func checkPositionals(_ positionals: [String], command: CommandSpec) throws(UsageError) {
        if positionals.count < command.minimumArguments {
            let required = command.arguments.split(separator: " ").filter { !$0.hasPrefix("[") }
            throw .missingArgument(String(required[positionals.count]), command: command.name)
        }
        if let maximum = command.maximumArguments, positionals.count > maximum {
            throw .tooManyArguments(given: positionals.count, maximum: maximum, command: command.name)
        }
    }

    /// Splits `--name=value` (or `-x`) into the name without dashes and the attached value.
    private static func splitLong(_ argument: String) -> (name: String, value: String?) {
        let body = argument.hasPrefix("--") ? argument.dropFirst(2) : argument.dropFirst()
        guard let equals = body.firstIndex(of: "=") else { return (String(body), nil) }
        return (String(body[..<equals]), String(body[body.index(after: equals)...]))
    }

    /// The candidate closest to `word` by edit distance, if close enough to be a likely
    /// typo, or the only candidate `word` is a prefix of.
    static func closest(to word: String, among candidates: [String]) -> String? {
        let scored = candidates.map { (candidate: $0, distance: editDistance(word, $0)) }
        if let best = scored.min(by: { $0.distance < $1.distance }),
            best.distance <= max(1, min(2, word.count / 3)) || (best.distance <= 3 && word.count >= 8)
        {
            return best.candidate
        }
        let prefixed = candidates.filter { $0.hasPrefix(word) }
        return word.count >= 3 && prefixed.count >= 1 ? prefixed.first : nil
    }

    /// The edit distance between two strings (by characters), counting an insertion, a
    /// deletion, a substitution or a swap of two adjacent characters as one edit.
    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var table = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
