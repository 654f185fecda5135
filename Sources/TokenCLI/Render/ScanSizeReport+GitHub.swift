import TokenKit

extension ScanSizeReport {
    /// `inspect-size --scan --format github`: a summary line, then an `::error` workflow
    /// command for each token over budget, largest first, at the `file` and `line` of its
    /// first place; past ``ScanSizeReport/maxListed`` of them, one more saying how many more.
    func github(showTokens: Bool) -> String {
        var out = "tokenctl inspect-size --scan: \(count) tokens, \(overBudget) over the budget of \(budget)"
        if let bytes { out += "; \(Self.line(bytes))" }
        out += "\n"
        for entry in overBudgetEntries {
            let place = entry.finding.place
            let size = entry.carriedBytes ?? entry.bytes
            let properties = [("file", place.source), ("line", String(place.line)), ("title", "tokenctl over-budget")]
                .map { "\($0.0)=\(SizeCheck.escapeProperty($0.1))" }.joined(separator: ",")
            let message = "\(ScanRender.name(entry.finding, showTokens: showTokens)) (\(place.summary)) is \(size) bytes, "
                + "over the budget of \(budget). Fix: move claims out of the token and fetch them by sub"
            out += "::error \(properties)::\(SizeCheck.escapeData(ScanRender.untrusted(message)))\n"
        }
        let unlisted = overBudget - overBudgetEntries.count
        if unlisted > 0 {
            out += "::error title=tokenctl over-budget::\(unlisted) more \(unlisted == 1 ? "token is" : "tokens are") over "
                + "the budget of \(SizeCheck.escapeData(budget.description)); only the largest \(Self.maxListed) are annotated\n"
        }
        return out
    }
}
