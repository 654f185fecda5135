/// One thing ``ClaimPolicy`` found in a token or claim set: what rule, how bad, which claim,
/// how many bytes it costs, and what to do about it.
public struct Finding: Hashable, Sendable, CustomStringConvertible {
    /// How much a finding matters.
    ///
    /// `error` fails `inspect-size` (exit 1); `warning` fails it only with `--fail-on warning`;
    /// `info` never fails it. The cases are ordered: `info < warning < error`.
    public enum Severity: String, Hashable, Sendable, Comparable, CaseIterable {
        case info, warning, error

        private var rank: Int {
            switch self {
            case .info: return 0
            case .warning: return 1
            case .error: return 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    /// A rule of the small-claims policy, named by a stable kebab-case id.
    ///
    /// Rule ids are a public interface (they appear in `--format json` and GitHub annotations):
    /// they are never renamed, only added.
    public struct Rule: Hashable, Sendable, CustomStringConvertible {
        /// The kebab-case identifier, such as `over-budget`.
        public let id: String
        /// One line on what the rule checks and what `bytes` means for it, for the man page.
        public let summary: String

        private init(_ id: String, _ summary: String) {
            self.id = id
            self.summary = summary
        }

        public var description: String { id }

        public static func == (lhs: Rule, rhs: Rule) -> Bool { lhs.id == rhs.id }
        public func hash(into hasher: inout Hasher) { hasher.combine(id) }

        /// The token, with the bytes around it (`--context`), is larger than the hard budget
        /// (error). `bytes`: how many bytes over.
        public static let overBudget = Rule("over-budget",
            "The token, with its context, exceeds the hard budget (error); bytes: how far over.")
        /// The token, with its context, is larger than the soft budget (1 KiB by default;
        /// warning). `bytes`: how many bytes over.
        public static let overSoftBudget = Rule("over-soft-budget",
            "The token, with its context, exceeds the soft budget of 1 KiB (warning); bytes: how far over.")
        /// More claims than the policy allows (20 by default; warning). `bytes`: the payload segment.
        public static let tooManyClaims = Rule("too-many-claims",
            "More than 20 claims (warning); bytes: the whole payload segment.")
        /// A claim nests arrays and objects deeper than allowed (2 by default; warning).
        public static let nestedTooDeep = Rule("nested-too-deep",
            "A claim's value nests objects or arrays more than 2 levels deep (warning); bytes: the claim.")
        /// An array in a claim has more items than allowed (16 by default; warning).
        public static let arrayTooLong = Rule("array-too-long",
            "An array in a claim has more than 16 items (warning); bytes: the claim.")
        /// A string in a claim is longer than allowed (256 UTF-8 bytes by default; warning).
        public static let stringTooLong = Rule("string-too-long",
            "A string in a claim is longer than 256 UTF-8 bytes (warning); bytes: the claim.")
        /// A claim holds personal data that belongs in a database, fetched by `sub` (warning).
        public static let personalData = Rule("personal-data",
            "A claim holds personal data (email, phone, address, names, birthdate) better fetched by sub (warning); bytes: the claim.")
        /// The token has no `exp` (warning; `verify` rejects such tokens by default).
        public static let missingExpiration = Rule("missing-exp",
            "The token has no exp claim (warning); bytes: 0.")
        /// `exp` is more than the allowed lifetime (24 h by default) after `iat`, or after now
        /// when there is no `iat` (warning).
        public static let lifetimeTooLong = Rule("lifetime-too-long",
            "exp is more than 24 h after iat, or after now without iat (warning); bytes: the exp claim.")
        /// `iat`, `nbf` or `exp` is not an integer NumericDate: a fraction or exponent (warning),
        /// or not a number at all (error).
        public static let timeNotInteger = Rule("time-not-integer",
            "iat, nbf or exp is a fraction (warning) or not a number (error); bytes: the claim.")
        /// A custom claim repeats a registered claim by name (`user_id`, `issuer`, `expires`)
        /// or by value (warning), or stands in for one that is absent (info).
        public static let duplicateClaim = Rule("duplicate-claim",
            "A custom claim repeats a registered one by name or value (warning), or replaces one (info); bytes: the claim.")
        /// A claim set a signer refuses (warning; claim sets only): a registered claim of the
        /// wrong RFC 7519 type, or times that make the token already expired or never valid
        /// (``JWTClaims/checkValidityWindow(now:)``). `bytes`: 0.
        public static let invalidClaim = Rule("invalid-claim",
            "A claim set sign refuses: a registered claim of the wrong type, or exp not after iat and now, or nbf not before exp (warning); bytes: 0.")
        /// The input is not a token or claim set that can be sized (error; reported by
        /// `inspect-size`, never by ``ClaimPolicy``). `bytes`: the input's length.
        public static let malformedInput = Rule("malformed-input",
            "The input is not a well-formed token (error); bytes: the input's length.")

        /// Every rule, in documentation order.
        public static let all: [Rule] = [
            .overBudget, .overSoftBudget, .tooManyClaims, .nestedTooDeep, .arrayTooLong, .stringTooLong,
            .personalData, .missingExpiration, .lifetimeTooLong, .timeNotInteger, .duplicateClaim,
            .invalidClaim, .malformedInput,
        ]
    }

    /// The rule that produced this finding.
    public var rule: Rule
    /// How much it matters.
    public var severity: Severity
    /// The top-level claim it concerns, or `nil` for the token as a whole.
    public var claim: String?
    /// The bytes it costs in the encoded token (see each ``Rule`` for what is counted).
    public var bytes: Int
    /// What was found, in one sentence.
    public var message: String
    /// What a person can do about it, in one sentence.
    public var fix: String

    /// Creates a finding.
    ///
    /// - Parameters:
    ///   - rule: the rule that produced it.
    ///   - severity: how much it matters.
    ///   - claim: the top-level claim it concerns, or `nil` for the whole token.
    ///   - bytes: what it costs in the encoded token.
    ///   - message: what was found.
    ///   - fix: what to do about it.
    public init(rule: Rule, severity: Severity, claim: String?, bytes: Int, message: String, fix: String) {
        self.rule = rule
        self.severity = severity
        self.claim = claim
        self.bytes = bytes
        self.message = message
        self.fix = fix
    }

    public var description: String { "\(severity.rawValue)[\(rule.id)]: \(message)" }
}
