/// The error a command line that tokenctl cannot act on: an unknown command or option,
/// a missing or unexpected value, options that cannot be combined. Always exit status 2.
///
/// The stable ``code`` appears in the diagnostic (`error[unknown_option]`) and in the man
/// page; the ``message`` is for people. Equality compares codes only, as for `TokenError`.
public struct UsageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stable identifier, one of ``UsageError/codes``.
    public var code: String
    /// One line naming what was wrong.
    public var message: String
    /// The subcommand the error belongs to, or `nil` for the top level. The dispatcher
    /// fills it in when a command throws without one.
    public var command: String?
    /// An optional suggestion printed after the message (`Did you mean '--key'?`).
    public var hint: String?

    /// Creates a usage error.
    public init(_ code: String, _ message: String, command: String? = nil, hint: String? = nil) {
        self.code = code
        self.message = message
        self.command = command
        self.hint = hint
    }

    /// Whether the usage line and the pointer to `--help` follow the diagnostic: not for
    /// `invalid_claim`, which is about the claim set (often from a file), not the command line.
    public var showsUsage: Bool { code != "invalid_claim" }

    /// The message followed by the hint, as printed after `error[<code>]: `.
    public var description: String {
        hint.map { "\(message). \($0)" } ?? message
    }

    public static func == (lhs: UsageError, rhs: UsageError) -> Bool { lhs.code == rhs.code }

    /// Every usage error code with its meaning, for the man page. All exit with status 2.
    public static let codes: [(id: String, summary: String)] = [
        ("unknown_command", "The command name is not a tokenctl command."),
        ("unknown_option", "The option is not an option of this command."),
        ("missing_value", "An option that needs a value was given none."),
        ("unexpected_value", "A switch was given a value (--json=yes)."),
        ("missing_argument", "A required argument is missing."),
        ("invalid_value", "An option's value is not one of its choices, or not valid for it."),
        ("conflicting_options", "Two options that cannot be combined were both given."),
        ("too_many_arguments", "More arguments were given than the command takes."),
        ("invalid_claim", "sign was given a registered claim of the wrong type, or times that make a token already expired or never valid."),
    ]

    /// `unknown_command`, with a suggestion when a command name is close.
    public static func unknownCommand(_ name: String, suggestion: String? = nil) -> UsageError {
        UsageError("unknown_command", "unknown command '\(name)'", hint: suggestion.map { "Did you mean '\($0)'?" })
    }

    /// `unknown_option`, with a suggestion (`--key`) when an option name is close.
    public static func unknownOption(_ option: String, suggestion: String? = nil, command: String? = nil) -> UsageError {
        UsageError(
            "unknown_option", "unknown option '\(option)'", command: command,
            hint: suggestion.map { "Did you mean '\($0)'?" })
    }

    /// `missing_value`: `option` (as written, `--key`) needs a value. When `beforeDash`, the
    /// next argument started with `-` and the hint explains the `=` form.
    public static func missingValue(
        option: String, placeholder: String, beforeDash: Bool = false, command: String? = nil
    ) -> UsageError {
        let attached = option.hasPrefix("--") ? "\(option)=\(placeholder)" : "\(option)\(placeholder)"
        return UsageError(
            "missing_value", "option '\(option)' needs a value (\(placeholder))", command: command,
            hint: beforeDash ? "Write '\(attached)' for a value that starts with '-'." : nil)
    }

    /// `unexpected_value`: the switch `option` was given a value.
    public static func unexpectedValue(option: String, command: String? = nil) -> UsageError {
        UsageError("unexpected_value", "option '\(option)' takes no value", command: command)
    }

    /// `missing_argument`: the positional argument `name` (`TOKEN`) is required.
    public static func missingArgument(_ name: String, command: String? = nil) -> UsageError {
        UsageError("missing_argument", "missing argument \(name)", command: command)
    }

    /// `invalid_value`: `value` is not acceptable for `option` (as written, `--alg`).
    public static func invalidValue(option: String, value: String, reason: String, command: String? = nil) -> UsageError {
        UsageError("invalid_value", "invalid value '\(value)' for '\(option)': \(reason)", command: command)
    }

    /// `conflicting_options`: options `a` and `b` (as written, `--key`) cannot be combined.
    public static func conflicting(_ a: String, _ b: String, command: String? = nil) -> UsageError {
        UsageError("conflicting_options", "'\(a)' cannot be combined with '\(b)'", command: command)
    }

    /// `too_many_arguments`: `given` arguments for a command that takes at most `maximum`.
    /// The arguments themselves are not echoed: one of them could be a secret.
    public static func tooManyArguments(given: Int, maximum: Int, command: String? = nil) -> UsageError {
        let takes = maximum == 0 ? "takes no arguments" : "takes at most \(maximum) argument\(maximum == 1 ? "" : "s")"
        return UsageError("too_many_arguments", "\(given) argument\(given == 1 ? "" : "s") given, but the command \(takes)", command: command)
    }
}
