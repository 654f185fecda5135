/// The small-claims policy shared by `sign` and `inspect-size`: a stateless token should
/// hold an id, a few roles and the registered claims, with everything else fetched by `sub`.
///
/// Each limit is a stored property with the documented default, so a caller changes one
/// without restating the others:
/// ```swift
/// var policy = ClaimPolicy(budget: .cookie, context: .cookie(name: "session"))
/// policy.maxArrayItems = 32
/// let findings = policy.evaluate(try SizeReport(token: token), now: now)
/// ```
/// `sign` prints the findings as warnings and refuses the token when
/// ``isOverBudget(_:)`` (unless `--allow-large`); `inspect-size` reports them and fails on
/// error-level findings.
public struct ClaimPolicy: Hashable, Sendable {
    /// The hard limit: over it is an ``Finding/Rule/overBudget`` error. Default 4096 bytes.
    public var budget: SizeBudget = SizeBudget(bytes: 4096)
    /// The soft limit: over it (but within ``budget``) is a warning. Default 1024 bytes.
    public var softBudget: Int = 1024
    /// The bytes around the token that count against both limits. Default none.
    public var context: SizeContext = .bare
    /// The most top-level claims before a warning. Default 20.
    public var maxClaims: Int = 20
    /// The deepest nesting of objects and arrays in a claim's value (``JSONValue/depth``:
    /// `["a"]` is 1, `{"r":["a"]}` is 2) before a warning. Default 2.
    public var maxDepth: Int = 2
    /// The most items in any array of a claim before a warning. Default 16.
    public var maxArrayItems: Int = 16
    /// The longest string (UTF-8 bytes, before JSON escaping) in a claim before a warning. Default 256.
    public var maxStringBytes: Int = 256
    /// The longest lifetime in seconds, `exp - iat` (or `exp - now` without `iat`), before a
    /// warning. Default 86 400 (24 h).
    public var maxLifetime: Int64 = 86_400
    /// Claim names (lower case) reported as personal data, at any depth. Default
    /// ``PersonalDataClaims/default``.
    public var personalDataClaims: Set<String> {
        get { customPersonalDataClaims ?? PersonalDataClaims.default }
        set { customPersonalDataClaims = newValue == PersonalDataClaims.default ? nil : newValue }
    }
    /// ``personalDataClaims`` when not the default (`nil` then, so that policies compare
    /// equal however the default was set, and the default is looked up without a set).
    private var customPersonalDataClaims: Set<String>?
    /// Claim names (lower case) a project allows although a rule would flag them, such as
    /// `email` for a service that needs it: never reported as personal data. Default none.
    public var allowedClaims: Set<String> = []
    /// Severities changed from each rule's own, by rule id; `nil` turns a rule off. Default none.
    public var severities: [String: Finding.Severity?] = [:]

    /// The policy with every default.
    public init() {}

    /// The policy with a hard budget and a context; the soft budget is 1024 bytes or the
    /// hard budget, whichever is smaller.
    ///
    /// - Parameters:
    ///   - budget: the hard limit (`--budget`, `--max-bytes`).
    ///   - context: the bytes around the token (`--context`).
    public init(budget: SizeBudget, context: SizeContext = .bare) {
        self.budget = budget
        self.context = context
        self.softBudget = min(softBudget, budget.bytes)
    }

    /// The NumericDate claims, in the order their findings are listed.
    static let timeClaims: [RegisteredClaimPositions.Claim] = [.iat, .nbf, .exp]

    /// The registered claims of RFC 7519 §4.1.
    public static let registeredClaims = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]

    /// Whether `name` is one of ``registeredClaims``, byte for byte
    /// (``RegisteredClaimPositions/isRegisteredName(_:)``).
    static func isRegisteredClaim(_ name: String) -> Bool { RegisteredClaimPositions.isRegisteredName(name) }

    /// The size the limits are compared with: the token and its ``context``.
    public func bytesInContext(_ report: SizeReport) -> Int { report.totalBytes + context.overheadBytes }

    /// Whether the token with its context is larger than ``budget``.
    public func isOverBudget(_ report: SizeReport) -> Bool { isOverBudget(tokenBytes: report.totalBytes) }

    /// Whether a token of `tokenBytes`, with its ``context``, is larger than ``budget``: the
    /// one over-budget rule, for `sign`, `inspect-size` and `decode`.
    public func isOverBudget(tokenBytes: Int) -> Bool { tokenBytes + context.overheadBytes > budget.bytes }

    /// Every finding for a token or claim set, errors first, then warnings, then notes;
    /// within a severity, in the order of the rules and then of the claims.
    ///
    /// - Parameters:
    ///   - report: the sizes and claims to check.
    ///   - now: the Unix time used for the lifetime of a token without `iat`.
    public func evaluate(_ report: SizeReport, now: Int64) -> [Finding] {
        // Each rule appends to the one array (an array a rule, appended, cost ~800 instructions a token).
        var findings: [Finding] = []
        appendBudgetFindings(report, to: &findings)
        appendTimeFindings(report, now: now, to: &findings)
        if report.kind == .claimSet, !findings.contains(where: { $0.rule == .timeNotInteger && $0.severity == .error }) {
            findings += signingFindings(report, now: now)
        }
        if report.claimCount > maxClaims {
            let added = report.addedClaims.isEmpty ? "" : ", including \(report.addedClaims.joined(separator: " and ")) that sign adds"
            findings.append(Finding(
                rule: .tooManyClaims, severity: .warning, claim: nil, bytes: report.payloadBytes,
                message: "the token has \(report.claimCount) claims (limit \(maxClaims)\(added))",
                fix: "keep the registered claims, an id and a few roles; fetch everything else by sub"))
        }
        // Costs are in the payload's member order: pair them up instead of looking each name
        // up again, which was quadratic in the number of claims.
        let personalData = PersonalDataNames(custom: customPersonalDataClaims, allowed: allowedClaims)
        for index in 0..<report.claimCount {
            let name = report.claimName(at: index)
            // A registered claim (most of a usual token's) is in no default name list: not looked up.
            let nameIsPersonal =
                (personalData.mayHoldRegisteredNames || !report.registeredPositions.isRegistered(at: index))
                && personalData.contains(name)
            appendShapeFindings(
                report, index, name: name, nameIsPersonal: nameIsPersonal, personalData: personalData, to: &findings)
        }
        appendDuplicateFindings(report, to: &findings)
        if !severities.isEmpty {
            findings = findings.compactMap { finding in
                guard let changed = severities[finding.rule.id] else { return finding }
                guard let severity = changed else { return nil }
                var adjusted = finding
                adjusted.severity = severity
                return adjusted
            }
        }
        // Already in order (one finding, or severities never rising): nothing to sort.
        if zip(findings, findings.dropFirst()).allSatisfy({ $0.severity >= $1.severity }) { return findings }
        return findings.enumerated().sorted { lhs, rhs in
            lhs.element.severity != rhs.element.severity
                ? lhs.element.severity > rhs.element.severity : lhs.offset < rhs.offset
        }.map(\.element)
    }

    private func appendBudgetFindings(_ report: SizeReport, to findings: inout [Finding]) {
        let size = bytesInContext(report)
        let inContext = context == .bare ? "" : " with \(context.overheadBytes) bytes of \(context.name) context"
        // The fix names the largest claims: worked out only for a token that has a finding.
        var fix: String {
            let largest = report.claimCostsBySize.filter { !ClaimPolicy.isRegisteredClaim($0.name) }
                .prefix(3).map { "\($0.name) (\($0.bytes) bytes)" }
            return largest.isEmpty
                ? "shorten the header (kid, extra members) or long registered values (iss, aud), or choose an algorithm with a shorter signature (ES256, EdDSA)"
                : "remove or shorten the largest claims: \(largest.joined(separator: ", ")); keep ids in the token and fetch the rest by sub"
        }
        if isOverBudget(report) {
            findings.append(Finding(
                rule: .overBudget, severity: .error, claim: nil, bytes: size - budget.bytes,
                message: "the token takes \(size) bytes\(inContext), \(size - budget.bytes) over the budget of \(budget)",
                fix: fix))
        } else if size > softBudget {
            findings.append(Finding(
                rule: .overSoftBudget, severity: .warning, claim: nil, bytes: size - softBudget,
                message: "the token takes \(size) bytes\(inContext), \(size - softBudget) over the soft budget of \(softBudget)",
                fix: fix))
        }
    }

    private func appendTimeFindings(_ report: SizeReport, now: Int64, to findings: inout [Finding]) {
        // Each read once, by position (SizeReport.registeredClaim): the lifetime below needs
        // iat and exp again.
        var issuedValue: JSONValue?
        var expiry: (value: JSONValue, cost: Int)?
        for claim in ClaimPolicy.timeClaims {
            guard let (value, cost) = report.registeredClaim(claim) else { continue }
            let name = claim.name
            if claim == .iat { issuedValue = value } else if claim == .exp { expiry = (value, cost) }
            if let number = value.numberValue {
                if !number.isInteger {
                    findings.append(Finding(
                        rule: .timeNotInteger, severity: .warning, claim: name, bytes: cost,
                        message: "\(name) is \(number.text), not a whole number of seconds; many libraries reject it",
                        fix: "write \(name) as an integer NumericDate (Unix seconds, RFC 7519 §2)"))
                }
            } else {
                findings.append(Finding(
                    rule: .timeNotInteger, severity: .error, claim: name, bytes: cost,
                    message: "\(name) is \(value.typeNameWithArticle), not a NumericDate; verifiers reject the token",
                    fix: "write \(name) as an integer NumericDate (Unix seconds, RFC 7519 §2)"))
            }
        }
        guard let expiry else {
            findings.append(Finding(
                rule: .missingExpiration, severity: .warning, claim: nil, bytes: 0,
                message: "the token has no exp: it is valid forever, and verify rejects it by default",
                fix: "give it a short lifetime (an exp minutes after iat) and refresh it"))
            return
        }
        if let expiresAt = JWTClaims.numericDate(of: expiry.value) {
            let issued = issuedValue.flatMap(JWTClaims.numericDate(of:))
            let start = issued ?? now
            let lifetime = expiresAt.subtractingReportingOverflow(start)
            if !lifetime.overflow, lifetime.partialValue > maxLifetime {
                // In words ("3 years"), unless the words round down to the limit itself.
                var message = ByteWriter(capacity: 64)
                // Written as bytes, piece by piece (string interpolations cost about 2 % of a
                // batch `decode`, whose tokens mostly carry this finding).
                func append(_ text: StaticString) { message.append(contentsOf: text) }
                append("exp is ")
                if Instant.spokenUnit(lifetime.partialValue.magnitude) == Instant.spokenUnit(maxLifetime.magnitude) {
                    if lifetime.partialValue < 0 { message.append(UInt8(ascii: "-")) }
                    Instant.appendDecimal(lifetime.partialValue.magnitude, to: &message)
                    append(" seconds")
                } else {
                    Instant.appendSpoken(lifetime.partialValue.magnitude, to: &message)
                }
                append(issued == nil ? " after now (limit " : " after iat (limit ")
                TokenDuration.appendFormat(maxLifetime, to: &message)
                append(")")
                findings.append(Finding(
                    rule: .lifetimeTooLong, severity: .warning, claim: "exp", bytes: expiry.cost,
                    message: message.string,
                    fix: "issue short-lived tokens (minutes to hours) and a refresh mechanism; revocation cannot reach a long-lived stateless token"))
            }
        }
    }

    /// What a signer refuses in a claim set: the same checks as `sign`'s
    /// (``JWTClaims/checkRegisteredClaimTypes()``, ``JWTClaims/checkValidityWindow(now:)``).
    private func signingFindings(_ report: SizeReport, now: Int64) -> [Finding] {
        let claims = JWTClaims(report.claims)
        do {
            try claims.checkRegisteredClaimTypes()
            try claims.checkValidityWindow(now: now)
            return []
        } catch {
            let reason = (error as? TokenError)?.reason ?? "\(error)"
            return [Finding(
                rule: .invalidClaim, severity: .warning, claim: nil, bytes: 0, message: reason,
                fix: "give registered claims their RFC 7519 types, and exp a time after iat and now; a signer refuses this claim set")]
        }
    }

    /// The findings on the shape of the claim at `index`, named `name`.
    ///
    /// - Parameter nameIsPersonal: whether `personalData` holds `name` itself.
    private func appendShapeFindings(
        _ report: SizeReport, _ index: Int, name: String, nameIsPersonal: Bool, personalData: PersonalDataNames,
        to findings: inout [Finding]
    ) {
        // Most claims have nothing to report: the measures, without paths, say so first
        // (the depth as ``JSONValue/depth`` counts it).
        let quick = report.claimShape(at: index, personalData: personalData)
        let depth = quick.depth
        let cost = report.cost(ofMemberAt: index)
        if depth > maxDepth {
            findings.append(Finding(
                rule: .nestedTooDeep, severity: .warning, claim: name, bytes: cost,
                message: "\(name) nests \(depth) levels deep (limit \(maxDepth))",
                fix: "flatten \(name) into a few top-level claims (for example \"roles\": [...]) or fetch it by sub"))
        }
        if quick.longestArray <= maxArrayItems, quick.longestString <= maxStringBytes, !quick.hasPersonalData, !nameIsPersonal {
            return
        }
        var walk = ShapeWalk(personalData: personalData)
        walk.visit(report.claimValue(at: index), path: name)
        if let longest = walk.longestArray, longest.count > maxArrayItems {
            findings.append(Finding(
                rule: .arrayTooLong, severity: .warning, claim: name, bytes: cost,
                message: "\(longest.path) has \(longest.count) items (limit \(maxArrayItems))",
                fix: "put a coarse role or group id in the token and resolve its members on the server"))
        }
        if let longest = walk.longestString, longest.count > maxStringBytes {
            findings.append(Finding(
                rule: .stringTooLong, severity: .warning, claim: name, bytes: cost,
                message: "\(longest.path) is a string of \(longest.count) bytes (limit \(maxStringBytes))",
                fix: "store the text on the server and put its id or a URL in the token"))
        }
        let personal = nameIsPersonal ? [name] : walk.personalPaths
        if let first = personal.first {
            findings.append(Finding(
                rule: .personalData, severity: .warning, claim: name, bytes: cost,
                message: "\(first) is personal data; it is copied into every log and cache the token passes, and goes stale",
                fix: "keep sub in the token and fetch \(first) from the user database (or the OpenID Connect userinfo endpoint)"))
        }
    }

}

extension ClaimShape {
    /// The numbers ``ShapeWalk`` finds, without the paths: what tells that a claim has no
    /// shape finding without building a string.
    init(_ value: JSONValue, personalData: PersonalDataNames) {
        self.init()
        depth = measure(value, personalData: personalData)
    }

    /// Measures `value` into this shape and returns its depth, as ``JSONValue/depth`` counts it.
    private mutating func measure(_ value: JSONValue, personalData: PersonalDataNames) -> Int {
        switch value {
        case .string(let text):
            longestString = max(longestString, text.utf8.count)
            return 0
        case .array(let elements):
            longestArray = max(longestArray, elements.count)
            var deepest = 0
            for element in elements { deepest = max(deepest, measure(element, personalData: personalData)) }
            return 1 + deepest
        case .object(let object):
            var deepest = 0
            for member in object.members {
                if !hasPersonalData, personalData.contains(member.name) { hasPersonalData = true }
                deepest = max(deepest, measure(member.value, personalData: personalData))
            }
            return 1 + deepest
        case .null, .bool, .number: return 0
        }
    }
}

/// One pass over a claim's value: its longest array, longest string and personal-data members.
private struct ShapeWalk {
    let personalData: PersonalDataNames
    var longestArray: (path: String, count: Int)?
    var longestString: (path: String, count: Int)?
    var personalPaths: [String] = []

    init(personalData: PersonalDataNames) { self.personalData = personalData }

    mutating func visit(_ value: JSONValue, path: String) {
        switch value {
        case .string(let text):
            let count = text.utf8.count
            if count > (longestString?.count ?? -1) { longestString = (path, count) }
        case .array(let elements):
            if elements.count > (longestArray?.count ?? -1) { longestArray = (path, elements.count) }
            for (index, element) in elements.enumerated() { visit(element, path: "\(path)[\(index)]") }
        case .object(let object):
            for member in object.members {
                let memberPath = "\(path).\(member.name)"
                if personalData.contains(member.name) { personalPaths.append(memberPath) }
                visit(member.value, path: memberPath)
            }
        case .null, .bool, .number: break
        }
    }
}
