import TokenKit

/// Where `inspect-size` puts its results, one input at a time, so that memory stays flat
/// whatever the number of inputs: JSON Lines and GitHub lines are written as each input is
/// sized; the text report keeps its inputs for one table up to ``textTableCap`` and, beyond,
/// prints the table as it goes and keeps the details of at most ``detailCap`` inputs that
/// fail or warn (the rest are counted). Only counters grow.
final class SizeCheckSink {
    /// Inputs laid out in one table, as before, when a text report has no more.
    static let textTableCap = 1_000
    /// Details printed after a streamed table; the others that fail or warn are counted.
    static let detailCap = 100

    private let format: InspectSizeCommand.Format
    private let failOn: Finding.Severity
    private let console: Console
    /// How many inputs were sized.
    private(set) var count = 0
    /// The most severe exit status so far (unreadable 2, rejected 1).
    private(set) var status = ExitStatus.success
    private var failed = 0
    /// Text: every input until the cap; then only those whose details are printed at the end.
    private var kept: [SizeCheck] = []
    private var streamingWidths: [Int]?
    private var hiddenDetails = 0

    init(format: InspectSizeCommand.Format, failOn: Finding.Severity, console: Console) {
        self.format = format
        self.failOn = failOn
        self.console = console
    }

    /// Reports one sized input.
    func add(_ check: SizeCheck) {
        count += 1
        let checkStatus: ExitStatus = check.error.map { ExitStatus(for: $0.code) }
            ?? (check.fails(at: failOn) ? .rejected : .success)
        status = max(status, checkStatus)
        if check.fails(at: failOn) { failed += 1 }
        switch format {
        case .json:
            console.stdout.write { out in
                check.writeJSON(to: &out)
                out.append(UInt8(ascii: "\n"))
            }
        case .github:
            console.printResult(SizeCheck.github([check]))
        case .text:
            if let widths = streamingWidths {
                var written = false
                console.stdout.write { out in written = check.writeSummaryRow(failOn: failOn, widths: widths, to: &out) }
                if !written {
                    console.printResult(SizeCheck.formatSummaryRow(check.summaryRow(failOn: failOn), widths: widths))
                }
                keepDetails(check)
            } else {
                kept.append(check)
                if kept.count > Self.textTableCap { startStreaming() }
            }
        }
    }

    /// Ends the report (the text report's table, details and totals).
    func finish() {
        guard format == .text else { return }
        guard streamingWidths != nil else {
            console.printResult(SizeCheck.text(kept, failOn: failOn))
            return
        }
        var out = ""
        for check in kept { out += "\n" + check.textDetails() }
        if hiddenDetails > 0 {
            out += "\n(details of \(hiddenDetails) more inputs that fail or warn are not shown; --format json lists every input)\n"
        }
        out += "\n\(count) inputs: \(count - failed) passed, \(failed) failed\n"
        console.printResult(out)
    }

    /// Over the cap: prints the table so far with its column widths, then keeps only details.
    private func startStreaming() {
        let rows = kept.map { $0.summaryRow(failOn: failOn) }
        let widths = SizeCheck.summaryWidths(rows)
        streamingWidths = widths
        console.printResult(([SizeCheck.summaryHeader] + rows).map { SizeCheck.formatSummaryRow($0, widths: widths) }.joined())
        let all = kept
        kept = []
        all.forEach(keepDetails)
    }

    private func keepDetails(_ check: SizeCheck) {
        guard check.status(failOn: failOn) != "ok" else { return }
        if kept.count < Self.detailCap { kept.append(check) } else { hiddenDetails += 1 }
    }
}
