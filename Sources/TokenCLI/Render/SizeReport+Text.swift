import TokenKit

extension SizeCheck {
    /// The width of the budget bar, in characters between the brackets.
    static let barWidth = 20

    /// The human report of `inspect-size` (and the size section of `decode`).
    ///
    /// One input: its full details. Several: one summary row each, then the details of
    /// those that fail at `failOn` or have warnings, so no warning is reduced to a count.
    ///
    /// - Parameters:
    ///   - checks: the checked inputs, in input order.
    ///   - failOn: the severity that fails an input (`--fail-on`).
    static func text(_ checks: [SizeCheck], failOn: Finding.Severity) -> String {
        if checks.count == 1 { return checks[0].textDetails() }
        var out = summaryTable(checks, failOn: failOn)
        let failing = checks.filter { $0.fails(at: failOn) }
        for check in checks where check.status(failOn: failOn) != "ok" {
            out += "\n" + check.textDetails()
        }
        let passed = checks.count - failing.count
        out += "\n\(checks.count) inputs: \(passed) passed, \(failing.count) failed\n"
        return out
    }

    /// `fail`, `warn` or `ok` for the summary table.
    func status(failOn: Finding.Severity) -> String {
        if fails(at: failOn) { return "fail" }
        return findings.contains { $0.severity >= .warning } ? "warn" : "ok"
    }

    static func summaryTable(_ checks: [SizeCheck], failOn: Finding.Severity) -> String {
        let rows = checks.map { $0.summaryRow(failOn: failOn) }
        let widths = summaryWidths(rows)
        return ([summaryHeader] + rows).map { formatSummaryRow($0, widths: widths) }.joined()
    }

    /// The column names of the summary table.
    static let summaryHeader = ["STATUS", "BYTES", "BUDGET", "FINDINGS", "INPUT"]

    /// This input's cells in the summary table.
    func summaryRow(failOn: Finding.Severity) -> [String] {
        [status(failOn: failOn), String(bytesInContext), "\(percentOfBudget)%", String(findings.count),
         UntrustedText.escaped(input)]
    }

    /// The widths of the first four columns for the header and `rows`.
    static func summaryWidths(_ rows: [[String]]) -> [Int] {
        (0..<4).map { column in ([summaryHeader] + rows).map { $0[column].count }.max() ?? 0 }
    }

    /// One line of the summary table: status left-aligned, numbers right-aligned (a cell
    /// wider than its column pushes the rest of its line right).
    static func formatSummaryRow(_ row: [String], widths: [Int]) -> String {
        let status = row[0].paddedRight(to: widths[0])
        let numbers = (1..<4).map { String(repeating: " ", count: max(0, widths[$0] - row[$0].count)) + row[$0] }
        return ([status] + numbers + [row[4]]).joined(separator: "  ") + "\n"
    }

    /// `[#######.............] 35% of 4096 (cookie)`; over budget, the bar is full and says so.
    func budgetBar() -> String {
        let filled = min(SizeCheck.barWidth, bytesInContext * SizeCheck.barWidth / max(budget.bytes, 1))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: SizeCheck.barWidth - filled)
        let over = overBudget ? ", \(bytesInContext - budget.bytes) bytes over" : ""
        return "[\(bar)] \(percentOfBudget)% of \(budget)\(over)"
    }

    /// Everything about one input: sizes, budget bar, claim costs, findings with fixes.
    ///
    /// - Parameter heading: what the first line starts with; the input's name by default.
    func textDetails(heading: String? = nil) -> String {
        var out = "\(heading ?? UntrustedText.escaped(input)): \(kindDescription())\n"
        if let report {
            out += "  \(report.totalBytes) bytes = header \(report.headerBytes) + payload \(report.payloadBytes)"
                + " + signature \(report.signatureBytes) + 2 dots\n"
        } else if apiKey != nil {
            out += "  \(totalBytes) bytes\n"
        } else {
            out += "  \(totalBytes) bytes of input\n"
        }
        if context != .bare {
            let around = "\(context.prefix)<token>\(context.suffix)"
            out += "  + \(context.overheadBytes) bytes of \(context.name) context (\(around)) = \(bytesInContext) bytes\n"
        }
        out += "  \(budgetBar())\n"
        if let report, !report.claimCosts.isEmpty {
            out += "  claims (what removing each saves in the payload segment):\n"
            let width = report.claimCosts.map { UntrustedText.escaped($0.name).count }.max() ?? 0
            let numberWidth = report.claimCosts.map { String($0.bytes).count }.max() ?? 0
            for cost in report.claimCostsBySize {
                let added = report.addedClaims.contains(cost.name) ? "  (added as sign would)" : ""
                let number = String(cost.bytes)
                out += "    \(UntrustedText.escaped(cost.name).paddedRight(to: width))  "
                    + String(repeating: " ", count: numberWidth - number.count) + number + added + "\n"
            }
        }
        if findings.isEmpty {
            out += "  no findings\n"
        } else {
            out += "  findings:\n"
            for finding in findings {
                let bytes = finding.claim != nil && finding.bytes > 0 ? " (\(finding.bytes) bytes)" : ""
                out += "    \(finding.severity.rawValue)[\(finding.rule.id)]: \(UntrustedText.escaped(finding.message))\(bytes)\n"
                out += "      fix: \(UntrustedText.escaped(finding.fix))\n"
            }
        }
        return out
    }

    private func kindDescription() -> String {
        guard let report else { return apiKey.map { "API key (\($0.kind?.rawValue ?? "unknown kind"))" } ?? "could not be sized" }
        let alg = report.algorithmName.map { " \(UntrustedText.escaped($0))" } ?? ""
        switch report.kind {
        case .token:
            return "token\(alg)"
        case .claimSet:
            let added = report.addedClaims.isEmpty
                ? "" : "; sign adds \(report.addedClaims.joined(separator: " and ")), counted here"
            let kid = report.header["kid"].map { _ in ", a 43-character kid" } ?? ""
            return "claim set as sign would encode it with\(alg)\(kid)\(added)"
        }
    }
}

extension String {
    /// The text followed by spaces up to `width` characters (a longer text stays whole).
    func paddedRight(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
