/// The outcome of checking one input against a ``ClaimPolicy``: its sizes (when it could be
/// sized), the budget and context it was held to, and the findings.
///
/// `inspect-size` renders one per input; `decode` renders one for the token it shows.
public struct SizeCheck: Hashable, Sendable {
    /// How the input is named in output: a file path, `argument 2`, `stdin:3`, `tokens.txt:3`.
    /// Never the token itself (a bearer credential does not belong in CI logs).
    public let input: String
    /// The file the input came from, for annotations; `nil` for arguments and standard input.
    public let file: String?
    /// The line of ``file`` (or of standard input) the token was on; `nil` for a whole file.
    public let line: Int?
    /// The sizes, or `nil` when the input could not be sized (see ``findings``).
    public let report: SizeReport?
    /// The findings, errors first.
    public let findings: [Finding]
    /// The hard budget the input was held to.
    public let budget: SizeBudget
    /// The bytes around the token that were counted.
    public let context: SizeContext
    /// The token's length: ``SizeReport/totalBytes``, or the input's length when it could
    /// not be sized.
    public let totalBytes: Int
    /// What the API key measured says about itself, when the input is one (``report`` is then `nil`).
    public internal(set) var apiKey: APIKey.Inspection? = nil
    /// Why the input could not be sized (`malformed`, `input_unreadable`), or `nil` when it was.
    public private(set) var error: TokenError?
    /// The input's position among the command's inputs, counting from 1, for an input that is
    /// a whole argument (a token, a file); `nil` when unknown.
    public var position: Int?

    /// The size compared with the budget: the token and its context.
    public var bytesInContext: Int { totalBytes + context.overheadBytes }

    /// Whether the token with its context is larger than the budget
    /// (``ClaimPolicy/isOverBudget(tokenBytes:)``).
    public let overBudget: Bool

    /// The share of the budget used, in percent, rounded down.
    public var percentOfBudget: Int { bytesInContext * 100 / max(budget.bytes, 1) }

    /// Whether the input fails a check that fails on `threshold` (`--fail-on`): it is over
    /// budget, or a finding is at least that severe.
    public func fails(at threshold: Finding.Severity) -> Bool {
        overBudget || findings.contains { $0.severity >= threshold }
    }

    /// Checks a sized token or claim set.
    ///
    /// - Parameters:
    ///   - input: the input's name in output.
    ///   - file: the file it came from, if any.
    ///   - line: its line in that file or in standard input, if any.
    ///   - report: its sizes.
    ///   - policy: the limits, budget and context.
    ///   - now: the Unix time for the lifetime of a token without `iat`.
    public init(input: String, file: String? = nil, line: Int? = nil, report: SizeReport, policy: ClaimPolicy, now: Int64) {
        self.input = input
        self.file = file
        self.line = line
        self.report = report
        self.findings = policy.evaluate(report, now: now)
        self.budget = policy.budget
        self.context = policy.context
        self.totalBytes = report.totalBytes
        self.overBudget = policy.isOverBudget(tokenBytes: report.totalBytes)
    }

    /// Records an input that could not be sized (a malformed token, an unreadable file) as
    /// one ``Finding/Rule/malformedInput`` error; ``error`` keeps why.
    ///
    /// - Parameters:
    ///   - input: the input's name in output.
    ///   - file: the file it came from, if any.
    ///   - line: its line in that file or in standard input, if any.
    ///   - byteCount: the input's length.
    ///   - error: why it could not be sized (its reason holds no token text).
    ///   - policy: the budget and context.
    public init(input: String, file: String? = nil, line: Int? = nil, byteCount: Int, error: TokenError, policy: ClaimPolicy) {
        self.input = input
        self.file = file
        self.line = line
        self.report = nil
        self.error = error
        let isToken = error.code == .malformed
        self.findings = [Finding(
            rule: .malformedInput, severity: .error, claim: nil, bytes: byteCount,
            message: isToken ? "not a token that can be sized: \(error.reason)" : error.reason,
            fix: !isToken
                ? "check the file: an argument that is not a token is read as a file holding tokens or a claim set"
                : "pass a compact JWS (header.payload.signature), a header line holding one, or a claim-set JSON file")]
        self.budget = policy.budget
        self.context = policy.context
        self.totalBytes = byteCount
        self.overBudget = policy.isOverBudget(tokenBytes: byteCount)
    }
}
