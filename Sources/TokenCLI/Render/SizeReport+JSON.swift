import TokenKit

extension SizeCheck {
    /// `inspect-size --format json`: JSON Lines, one compact object per input, one a line,
    /// in input order, whatever the number of inputs (as `verify --json`).
    ///
    /// Each object: `input`, `file`, `line` (the token's line in its file or on standard
    /// input, else the input's position among the arguments, from 1), `kind` (`token`, `claim_set`, `api_key`, or null when the
    /// input could not be sized), `algorithm`, `total_bytes`, `header_bytes`,
    /// `payload_bytes`, `signature_bytes` (null when not sized), `context`,
    /// `context_bytes`, `bytes_in_context`, `budget_bytes`, `budget_name`, `over_budget`,
    /// `added_claims`, `claims` (`[{name, bytes}]`, most expensive first) and `findings`
    /// (`[{rule, severity, claim, bytes, message, fix}]`, errors first), and, for an input that
    /// could not be sized, `error` (`{code, message}`).
    static func json(_ checks: [SizeCheck]) -> String {
        checks.map { $0.jsonValue.serialized + "\n" }.joined()
    }

    /// This check as a JSON object.
    var jsonValue: JSONValue {
        func number(_ value: Int?) -> JSONValue { value.map { .number(JSONNumber($0)) } ?? .null }
        func string(_ value: String?) -> JSONValue { value.map { .string($0) } ?? .null }
        let claims: [JSONValue] = (report?.claimCostsBySize ?? []).map { cost in
            .object(JSONObject([("name", .string(cost.name)), ("bytes", number(cost.bytes))]))
        }
        let findings: [JSONValue] = findings.map { finding in
            .object(JSONObject([
                ("rule", .string(finding.rule.id)), ("severity", .string(finding.severity.rawValue)),
                ("claim", string(finding.claim)), ("bytes", number(finding.bytes)),
                ("message", .string(finding.message)), ("fix", .string(finding.fix)),
            ]))
        }
        var object = JSONObject([
            ("input", .string(input)),
            ("file", string(file)),
            ("line", number(line ?? position)),
            ("kind", string(report?.kind.rawValue ?? apiKey.map { _ in "api_key" })),
            ("algorithm", string(report?.algorithmName)),
            ("total_bytes", number(totalBytes)),
            ("header_bytes", number(report?.headerBytes)),
            ("payload_bytes", number(report?.payloadBytes)),
            ("signature_bytes", number(report?.signatureBytes)),
            ("context", .string(context.name)),
            ("context_bytes", number(context.overheadBytes)),
            ("bytes_in_context", number(bytesInContext)),
            ("budget_bytes", number(budget.bytes)),
            ("budget_name", string(budget.name)),
            ("over_budget", .bool(overBudget)),
            ("added_claims", .array((report?.addedClaims ?? []).map { .string($0) })),
            ("claims", .array(claims)),
            ("findings", .array(findings)),
        ])
        if let error {
            object["error"] = .object(JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))]))
        }
        return .object(object)
    }
}
