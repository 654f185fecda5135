import TokenKit

extension ScanSizeReport {
    /// `inspect-size --scan --format text`: the totals, a histogram, a table per grouping,
    /// the costliest claims, the largest tokens with their places, and the candidates that
    /// are not JWTs.
    func text(showTokens: Bool) -> String {
        var out = "Tokens: \(count) distinct \(count == 1 ? "JWT" : "JWTs") in \(occurrences) "
            + (occurrences == 1 ? "place" : "places")
        if notJWTCount > 0 { out += ", and \(notJWTCount) \(notJWTCount == 1 ? "candidate" : "candidates") that are not JWTs" }
        out += "\n"
        let measured = context.map { _ in " (measured in the header or cookie that carries each)" } ?? ""
        out += "Budget: \(budget)\(measured); over budget: \(overBudget)\n"
        if let bytes { out += "Token bytes:   \(Self.line(bytes))\n" }
        if let carriedBytes { out += "Carried bytes: \(Self.line(carriedBytes))\n" }
        if count > 0 {
            out += "\nSizes:\n"
            let largest = max(histogram.map(\.count).max() ?? 1, 1)
            for bucket in histogram {
                let label = bucket.upTo.map { "<= \($0)" } ?? "> 8192"
                let bar = String(repeating: "#", count: (bucket.count * 40 + largest - 1) / largest)
                out += "  " + pad(label, 8) + " " + pad(String(bucket.count), 6, right: true) + "  " + bar + "\n"
            }
        }
        for by in ["iss", "kid", "carrier"] {
            let rows = groups.filter { $0.by == by }
            if rows.isEmpty { continue }
            out += "\nBy \(by):\n"
            out += "  " + pad("VALUE", 40) + pad("COUNT", 7, right: true) + pad("P50", 7, right: true)
                + pad("P95", 7, right: true) + pad("P99", 7, right: true) + pad("MAX", 7, right: true) + "\n"
            for group in rows {
                let value = group.isOther ? "(other values)" : group.value.map(ScanRender.untrusted) ?? "(none)"
                out += "  " + pad(value, 40) + pad(String(group.count), 7, right: true)
                    + pad(String(group.bytes.p50), 7, right: true) + pad(String(group.bytes.p95), 7, right: true)
                    + pad(String(group.bytes.p99), 7, right: true) + pad(String(group.bytes.max), 7, right: true) + "\n"
            }
        }
        if !costliestClaims.isEmpty {
            out += "\nCostliest claims (encoded bytes over all tokens):\n"
            for claim in costliestClaims {
                out += "  " + pad(ScanRender.untrusted(claim.name), 24) + pad(String(claim.bytes), 9, right: true)
                    + " bytes in \(claim.tokens) \(claim.tokens == 1 ? "token" : "tokens")\n"
            }
        }
        if !largest.isEmpty {
            out += "\nLargest tokens:\n"
            for entry in largest {
                let carried = entry.carriedBytes.map { " (\($0) carried)" } ?? ""
                let over = entry.overBudget ? "  OVER BUDGET" : ""
                out += "  \(entry.bytes) bytes\(carried)  \(ScanRender.heading(entry.finding, showTokens: showTokens))\(over)\n"
            }
        }
        if !notJWTs.isEmpty {
            out += "\nNot JWTs (not sized):\n"
            for finding in notJWTs {
                if case .notJWT(let error) = finding.kind {
                    out += "  \(ScanRender.heading(finding, showTokens: showTokens)): \(ScanRender.untrusted(error.reason))\n"
                }
            }
            if notJWTCount > notJWTs.count { out += "  ... and \(notJWTCount - notJWTs.count) more\n" }
        }
        return out
    }

    static func line(_ p: Percentiles) -> String { "p50 \(p.p50)  p95 \(p.p95)  p99 \(p.p99)  max \(p.max)" }

    private func pad(_ text: String, _ width: Int, right: Bool = false) -> String {
        let fill = String(repeating: " ", count: max(width - text.count, 1))
        return right ? fill + text : text + fill
    }
}
