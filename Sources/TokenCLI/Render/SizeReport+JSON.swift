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

extension SizeCheck {
    /// Appends ``jsonValue``'s compact serialization (``JSONValue/serialized``) to `out`, the
    /// same bytes, written straight into the output buffer without building the tree.
    func writeJSON(to out: inout ByteWriter) {
        JSONBytes.raw(#"{"input":"#, to: &out)
        JSONBytes.string(input, to: &out)
        JSONBytes.raw(#","file":"#, to: &out)
        JSONBytes.string(file, to: &out)
        JSONBytes.raw(#","line":"#, to: &out)
        JSONBytes.number(line ?? position, to: &out)
        JSONBytes.raw(#","kind":"#, to: &out)
        JSONBytes.string(report?.kind.rawValue ?? apiKey.map { _ in "api_key" }, to: &out)
        JSONBytes.raw(#","algorithm":"#, to: &out)
        JSONBytes.string(report?.algorithmName, to: &out)
        JSONBytes.raw(#","total_bytes":"#, to: &out)
        JSONBytes.number(totalBytes, to: &out)
        JSONBytes.raw(#","header_bytes":"#, to: &out)
        JSONBytes.number(report?.headerBytes, to: &out)
        JSONBytes.raw(#","payload_bytes":"#, to: &out)
        JSONBytes.number(report?.payloadBytes, to: &out)
        JSONBytes.raw(#","signature_bytes":"#, to: &out)
        JSONBytes.number(report?.signatureBytes, to: &out)
        JSONBytes.raw(#","context":"#, to: &out)
        JSONBytes.string(context.name, to: &out)
        JSONBytes.raw(#","context_bytes":"#, to: &out)
        JSONBytes.number(context.overheadBytes, to: &out)
        JSONBytes.raw(#","bytes_in_context":"#, to: &out)
        JSONBytes.number(bytesInContext, to: &out)
        JSONBytes.raw(#","budget_bytes":"#, to: &out)
        JSONBytes.number(budget.bytes, to: &out)
        JSONBytes.raw(#","budget_name":"#, to: &out)
        JSONBytes.string(budget.name, to: &out)
        JSONBytes.raw(#","over_budget":"#, to: &out)
        JSONBytes.bool(overBudget, to: &out)
        JSONBytes.raw(#","added_claims":"#, to: &out)
        JSONBytes.strings(report?.addedClaims ?? [], to: &out)
        JSONBytes.raw(#","claims":"#, to: &out)
        writeClaimsJSON(to: &out)
        JSONBytes.raw(#","findings":"#, to: &out)
        writeFindingsJSON(to: &out)
        if let error {
            JSONBytes.raw(#","error":"#, to: &out)
            JSONBytes.error(error, to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// Appends ``jsonValue``'s `claims` array: `[{"name":…,"bytes":…}]`, most expensive first.
    func writeClaimsJSON(to out: inout ByteWriter) {
        out.append(UInt8(ascii: "["))
        var first = true
        report?.forEachClaimCostBySize { cost in
            JSONBytes.raw(first ? #"{"name":"# : #",{"name":"#, to: &out)
            first = false
            JSONBytes.string(cost.name, to: &out)
            JSONBytes.raw(#","bytes":"#, to: &out)
            JSONBytes.number(cost.bytes, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends ``jsonValue``'s `findings` array.
    func writeFindingsJSON(to out: inout ByteWriter) {
        out.append(UInt8(ascii: "["))
        for (index, finding) in findings.enumerated() {
            JSONBytes.raw(index == 0 ? #"{"rule":"# : #",{"rule":"#, to: &out)
            JSONBytes.string(finding.rule.id, to: &out)
            JSONBytes.raw(#","severity":"#, to: &out)
            JSONBytes.string(finding.severity.rawValue, to: &out)
            JSONBytes.raw(#","claim":"#, to: &out)
            JSONBytes.string(finding.claim, to: &out)
            JSONBytes.raw(#","bytes":"#, to: &out)
            JSONBytes.number(finding.bytes, to: &out)
            JSONBytes.raw(#","message":"#, to: &out)
            JSONBytes.string(finding.message, to: &out)
            JSONBytes.raw(#","fix":"#, to: &out)
            JSONBytes.string(finding.fix, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }
}
