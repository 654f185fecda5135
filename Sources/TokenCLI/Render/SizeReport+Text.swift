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

    /// Appends this input's line of the summary table, as ``Console/printResult(_:line:painted:)``
    /// prints ``formatSummaryRow(_:widths:)`` of ``summaryRow(failOn:)``, and returns `true`;
    /// returns `false`, with `out` as it was, when the input's name needs escaping (then
    /// that general path prints it).
    func writeSummaryRow(failOn: Finding.Severity, widths: [Int], to out: inout ByteWriter) -> Bool {
        let plain = input.withUTF8Bytes { bytes in
            !bytes.contains(0x0A) && UntrustedText.printsUnescaped(bytes)
        }
        guard plain, widths.count >= 4 else { return false }
        let status = status(failOn: failOn)
        out.append(contentsOf: status)
        out.append(UInt8(ascii: " "), count: max(0, widths[0] - status.utf8.count) + 2)
        let percent = percentOfBudget
        let cells = [(bytesInContext, false), (percent, true), (findings.count, false)]
        for (index, (value, isPercent)) in cells.enumerated() {
            let width = Self.digitCount(value) + (isPercent ? 1 : 0)
            out.append(UInt8(ascii: " "), count: max(0, widths[index + 1] - width))
            JSONBytes.number(value, to: &out)
            if isPercent { out.append(UInt8(ascii: "%")) }
            JSONBytes.raw("  ", to: &out)
        }
        out.append(contentsOf: input)
        out.append(UInt8(ascii: "\n"))
        return true
    }

    /// `[#######.............] 35% of 4096 (cookie)`; over budget, the bar is full and says so.
    func budgetBar() -> String {
        var out = ByteWriter()
        writeBudgetBar(to: &out)
        return out.string
    }

    /// Appends ``budgetBar()`` to `out`.
    func writeBudgetBar(to out: inout ByteWriter) {
        let filled = min(SizeCheck.barWidth, bytesInContext * SizeCheck.barWidth / max(budget.bytes, 1))
        out.append(UInt8(ascii: "["))
        out.append(UInt8(ascii: "#"), count: max(0, filled))
        out.append(UInt8(ascii: "."), count: max(0, SizeCheck.barWidth - filled))
        JSONBytes.raw("] ", to: &out)
        JSONBytes.number(percentOfBudget, to: &out)
        JSONBytes.raw("% of ", to: &out)
        out.append(contentsOf: budget.description)
        if overBudget {
            JSONBytes.raw(", ", to: &out)
            JSONBytes.number(bytesInContext - budget.bytes, to: &out)
            JSONBytes.raw(" bytes over", to: &out)
        }
    }

    /// Everything about one input: sizes, budget bar, claim costs, findings with fixes.
    ///
    /// - Parameter heading: what the first line starts with; the input's name by default.
    func textDetails(heading: String? = nil) -> String {
        var out = ByteWriter()
        writeTextDetails(heading: heading, escaping: true, to: &out)
        return out.string
    }

    /// Appends ``textDetails(heading:)`` to `out`. Without `escaping`, text from the input
    /// (its name, claim names, messages) is written as it is: for a caller that then checks
    /// the whole rendering with ``UntrustedText/printsUnescaped(_:)`` (where that holds, every
    /// escape would have kept the text as it is, so both give the same bytes).
    ///
    /// - Returns: `false` when, without `escaping`, a piece of one-line text from the input
    ///   holds a line break, which that check cannot tell from the layout's own.
    @discardableResult
    func writeTextDetails(heading: String? = nil, escaping: Bool, to out: inout ByteWriter) -> Bool {
        var clean = true
        func untrusted(_ text: String) -> String {
            if escaping { return UntrustedText.escaped(text) }
            if clean, JSONBytes.hasLineBreak(text) { clean = false }
            return text
        }
        out.append(contentsOf: (heading ?? untrusted(input)))
        JSONBytes.raw(": ", to: &out)
        if !writeKindDescription(escaping: escaping, to: &out) { clean = false }
        out.append(UInt8(ascii: "\n"))
        if let report {
            JSONBytes.raw("  ", to: &out)
            JSONBytes.number(report.totalBytes, to: &out)
            JSONBytes.raw(" bytes = header ", to: &out)
            JSONBytes.number(report.headerBytes, to: &out)
            JSONBytes.raw(" + payload ", to: &out)
            JSONBytes.number(report.payloadBytes, to: &out)
            JSONBytes.raw(" + signature ", to: &out)
            JSONBytes.number(report.signatureBytes, to: &out)
            JSONBytes.raw(" + 2 dots\n", to: &out)
        } else {
            JSONBytes.raw("  ", to: &out)
            JSONBytes.number(totalBytes, to: &out)
            JSONBytes.raw(apiKey != nil ? " bytes\n" : " bytes of input\n", to: &out)
        }
        if context != .bare {
            let around = "\(context.prefix)<token>\(context.suffix)"
            out.append(contentsOf: "  + \(context.overheadBytes) bytes of \(context.name) context (\(around)) = \(bytesInContext) bytes\n")
        }
        JSONBytes.raw("  ", to: &out)
        writeBudgetBar(to: &out)
        out.append(UInt8(ascii: "\n"))
        if let report, !report.claimCosts.isEmpty {
            JSONBytes.raw("  claims (what removing each saves in the payload segment):\n", to: &out)
            let names = report.claimCosts.map { untrusted($0.name) }
            let width = names.map(JSONBytes.characterCount).max() ?? 0
            let numberWidth = report.claimCosts.map { Self.digitCount($0.bytes) }.max() ?? 0
            let sorted = report.claimCostsBySize
            for (cost, name) in zip(sorted, sorted.map { untrusted($0.name) }) {
                JSONBytes.raw("    ", to: &out)
                out.append(contentsOf: name)
                out.append(UInt8(ascii: " "), count: max(0, width - JSONBytes.characterCount(name)) + 2)
                out.append(UInt8(ascii: " "), count: max(0, numberWidth - Self.digitCount(cost.bytes)))
                JSONBytes.number(cost.bytes, to: &out)
                if !report.addedClaims.isEmpty, report.addedClaims.contains(cost.name) {
                    JSONBytes.raw("  (added as sign would)", to: &out)
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
        if findings.isEmpty {
            JSONBytes.raw("  no findings\n", to: &out)
        } else {
            JSONBytes.raw("  findings:\n", to: &out)
            for finding in findings {
                JSONBytes.raw("    ", to: &out)
                out.append(contentsOf: finding.severity.rawValue)
                out.append(UInt8(ascii: "["))
                out.append(contentsOf: finding.rule.id)
                JSONBytes.raw("]: ", to: &out)
                out.append(contentsOf: untrusted(finding.message))
                if finding.claim != nil && finding.bytes > 0 {
                    JSONBytes.raw(" (", to: &out)
                    JSONBytes.number(finding.bytes, to: &out)
                    JSONBytes.raw(" bytes)", to: &out)
                }
                JSONBytes.raw("\n      fix: ", to: &out)
                out.append(contentsOf: untrusted(finding.fix))
                out.append(UInt8(ascii: "\n"))
            }
        }
        return clean
    }

    /// The characters of `String(value)`.
    private static func digitCount(_ value: Int) -> Int {
        var count = value < 0 ? 2 : 1
        var rest = value.magnitude
        while rest >= 10 {
            rest /= 10
            count += 1
        }
        return count
    }

    /// Returns `false` when, without `escaping`, the `alg` holds a line break.
    private func writeKindDescription(escaping: Bool, to out: inout ByteWriter) -> Bool {
        guard let report else {
            out.append(contentsOf: (apiKey.map { "API key (\($0.kind?.rawValue ?? "unknown kind"))" } ?? "could not be sized"))
            return true
        }
        let alg = report.algorithmName.map { " " + (escaping ? UntrustedText.escaped($0) : $0) } ?? ""
        switch report.kind {
        case .token:
            JSONBytes.raw("token", to: &out)
            out.append(contentsOf: alg)
        case .claimSet:
            let added = report.addedClaims.isEmpty
                ? "" : "; sign adds \(report.addedClaims.joined(separator: " and ")), counted here"
            let kid = report.header["kid"].map { _ in ", a 43-character kid" } ?? ""
            out.append(contentsOf: "claim set as sign would encode it with\(alg)\(kid)\(added)")
        }
        return escaping || !JSONBytes.hasLineBreak(alg)
    }
}

extension String {
    /// The text followed by spaces up to `width` characters (a longer text stays whole).
    func paddedRight(to width: Int) -> String {
        self + String(repeating: " ", count: max(0, width - count))
    }
}
