import TokenKit

/// The three exit statuses of every tokenctl command (man page, "EXIT STATUS").
public enum ExitStatus: Int32, Sendable, CaseIterable {
    /// The command did its job and the token, key or claim set was acceptable.
    case success = 0
    /// The input was rejected: invalid or expired token, bad checksum, over budget, lint error.
    case rejected = 1
    /// The command could not do its job: usage, configuration, input or environment error.
    case usage = 2

    /// The one mapping from TokenKit error codes to exit statuses.
    public init(for code: TokenError.Code) {
        self = code.isRejection ? .rejected : .usage
    }

    /// What the status means, for `--help` and the man page.
    public var meaning: String {
        switch self {
        case .success: return "Success: the token is valid, the command did its job."
        case .rejected: return "Rejected: the token, key or claim set is not acceptable (invalid, expired, over budget...)."
        case .usage: return "Usage, configuration or input error: the command could not do its job."
        }
    }
}

extension ExitStatus: Comparable {
    /// Ordered by severity (success < rejected < usage), so a run over several inputs exits
    /// with `max` of their statuses.
    public static func < (lhs: ExitStatus, rhs: ExitStatus) -> Bool { lhs.rawValue < rhs.rawValue }
}
