import TokenKit

extension ScanSizeReport {
    /// `inspect-size --scan --format json`: one document,
    /// `{count, not_jwt, occurrences, over_budget, budget_bytes, bytes: {p50, p95, p99, max},
    /// carried_bytes (with --context), groups: [{by, value, count, bytes, carried_bytes}],
    /// claims: [{name, bytes, tokens}], largest: [...], not_jwts: [...]}`. `bytes` is `null`
    /// when no JWT was found; a group's `value` is `null` for tokens without that claim or
    /// header, and for the group of other values (`"other": true`) past the first
    /// ``ScanSizeReport/maxGroups``. `not_jwts` lists the first ``ScanSizeReport/maxListed``
    /// of the `not_jwt` candidates.
    func json(showTokens: Bool) -> JSONObject {
        var object = JSONObject([
            ("count", .number(JSONNumber(count))),
            ("not_jwt", .number(JSONNumber(notJWTCount))),
            ("occurrences", .number(JSONNumber(occurrences))),
            ("over_budget", .number(JSONNumber(overBudget))),
            ("budget_bytes", .number(JSONNumber(budget.bytes))),
            ("bytes", Self.json(bytes)),
        ])
        if let context { object["context"] = .string(context.description) }
        if context != nil { object["carried_bytes"] = Self.json(carriedBytes) }
        object["groups"] = .array(groups.map { group in
            var item = JSONObject([
                ("by", .string(group.by)), ("value", group.value.map(JSONValue.string) ?? .null),
                ("count", .number(JSONNumber(group.count))), ("bytes", Self.json(group.bytes)),
            ])
            if context != nil { item["carried_bytes"] = Self.json(group.carriedBytes) }
            if group.isOther { item["other"] = .bool(true) }
            return .object(item)
        })
        object["claims"] = .array(costliestClaims.map {
            .object(JSONObject([
                ("name", .string($0.name)), ("bytes", .number(JSONNumber($0.bytes))), ("tokens", .number(JSONNumber($0.tokens))),
            ]))
        })
        object["largest"] = .array(largest.map { entry in
            var item = ScanRender.jsonHead(entry.finding, showTokens: showTokens)
            item["bytes"] = .number(JSONNumber(entry.bytes))
            if let carried = entry.carriedBytes { item["carried_bytes"] = .number(JSONNumber(carried)) }
            item["over_budget"] = .bool(entry.overBudget)
            return .object(item)
        })
        object["not_jwts"] = .array(notJWTs.map { finding in
            var item = ScanRender.jsonHead(finding, showTokens: showTokens)
            if case .notJWT(let error) = finding.kind {
                item["error"] = .object(JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))]))
            }
            return .object(item)
        })
        return object
    }

    static func json(_ percentiles: Percentiles?) -> JSONValue {
        guard let percentiles else { return .null }
        return .object(JSONObject([
            ("p50", .number(JSONNumber(percentiles.p50))), ("p95", .number(JSONNumber(percentiles.p95))),
            ("p99", .number(JSONNumber(percentiles.p99))), ("max", .number(JSONNumber(percentiles.max))),
        ]))
    }
}
