/// One option of a command, as the parser, `--help`, the man page and the shell
/// completions all see it.
///
/// An option is either a switch (``value`` is `nil`: `--json`) or takes a value
/// (`--key FILE`, `--key=FILE`, `-k FILE`, `-kFILE`). As with getopt, an option that
/// takes a value takes the next argument even when it starts with `-` (`--kid -abc`);
/// only an optional value (`--jti [ID]`) is never taken from such an argument (write
/// `--jti=-x`). `-` alone is a value (standard input).
public struct OptionSpec: Sendable {
    /// How a shell completes the option's value.
    public enum Completion: Sendable, Equatable {
        /// No completion (free text such as a subject or a duration).
        case none
        /// File names; with extensions (without dots), files of those types first.
        case file(extensions: [String])
        /// Directory names.
        case directory
        /// One of ``OptionSpec/choices``.
        case choices
        /// Names of environment variables (for options such as `--secret-env VAR`).
        case environment
        /// Suggested words (such as named budgets); other values are accepted too.
        case words([String])
    }

    /// The long name in kebab-case, without dashes (`"max-token-bytes"`).
    public var long: String
    /// The single-letter short name (`k` for `-k`), or `nil`. Only common options have one.
    public var short: Character?
    /// The UPPERCASE value placeholder (`"FILE"`), or `nil` for a switch.
    public var value: String?
    /// Whether the value may be left out (`--jti [ID]`). Then a following argument is taken
    /// as the value only when it does not start with `-`; `--jti=ID` is always unambiguous.
    public var valueIsOptional: Bool
    /// Whether the option may be given several times, each occurrence adding a value.
    /// A non-repeatable option given twice is not an error: the last occurrence wins.
    public var repeatable: Bool
    /// One or two sentences for `--help` and the man page.
    public var help: String
    /// The accepted values, checked at parse time (`invalid_value` otherwise) and offered
    /// by the completions. Empty: any value.
    public var choices: [String]
    /// How a shell completes the value.
    public var completion: Completion
    /// Long names of options of the same command that cannot be combined with this one
    /// (`conflicting_options`). Declaring the conflict on either side is enough.
    public var conflicts: [String]
    /// Hidden options are parsed but not shown in help, man page or completions.
    public var hidden: Bool

    /// Creates an option.
    ///
    /// - Parameters:
    ///   - long: The long name without dashes, in kebab-case.
    ///   - short: An optional one-letter short name.
    ///   - value: The UPPERCASE value placeholder, or `nil` for a switch.
    ///   - valueIsOptional: Whether the value may be omitted (`--jti [ID]`).
    ///   - repeatable: Whether the option may be given several times.
    ///   - help: The help text (sentences, ending with a period).
    ///   - choices: Accepted values; empty for any value.
    ///   - completion: How shells complete the value; by default `.choices` when there are
    ///     choices, else `.none`.
    ///   - conflicts: Long names of options that cannot be combined with this one.
    ///   - hidden: Whether to leave the option out of help, man page and completions.
    public init(
        long: String, short: Character? = nil, value: String? = nil, valueIsOptional: Bool = false,
        repeatable: Bool = false, help: String, choices: [String] = [], completion: Completion? = nil,
        conflicts: [String] = [], hidden: Bool = false
    ) {
        self.long = long
        self.short = short
        self.value = value
        self.valueIsOptional = valueIsOptional
        self.repeatable = repeatable
        self.help = help
        self.choices = choices
        self.completion = completion ?? (choices.isEmpty ? .none : .choices)
        self.conflicts = conflicts
        self.hidden = hidden
    }

    /// Whether the option is a switch (takes no value).
    public var isSwitch: Bool { value == nil }

    /// The option as help shows it: `-k, --key FILE`, `--jti [ID]`, `--json`.
    public var synopsis: String {
        var text = short.map { "-\($0), " } ?? ""
        text += "--\(long)"
        if let value {
            text += valueIsOptional ? " [\(value)]" : " \(value)"
        }
        return text
    }
}
