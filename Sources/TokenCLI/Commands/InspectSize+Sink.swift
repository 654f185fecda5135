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

    /// Reports one sized input, already reduced to what the report needs; `json` is its JSON
    /// line (`--format json`; empty otherwise).
    func add(_ sized: SizedInput, json: UnsafeBufferPointer<UInt8>) {
        count += 1
        status = max(status, sized.status)
        if sized.fails { failed += 1 }
        switch format {
        case .json:
            console.stdout.write(bytes: json)
        case .github:
            if let check = sized.check { console.printResult(SizeCheck.github([check])) }
        case .text:
            guard let check = sized.check else { return }
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

/// One sized input as ``SizeCheckSink`` takes it: its status, and the check itself for the
/// text and GitHub reports (which lay out several inputs); in `--format json` its line is
/// rendered where it was sized, into a buffer it does not hold (a block's, ``SizedBlock``),
/// so that with `--jobs` a worker thread renders the lines and frees the checks, and only
/// the block's bytes cross to the writing thread.
struct SizedInput: Sendable {
    /// The input's exit status: its error's, else `.rejected` when it fails at `--fail-on`.
    let status: ExitStatus
    /// Whether it fails at `--fail-on`.
    let fails: Bool
    /// Why it could not be sized, when that is not a malformed token (said on stderr too).
    let unreadable: TokenError?
    /// The text and GitHub formats: the check.
    let check: SizeCheck?

    /// Room for a token's JSON line (a ~300-byte token with a finding makes ~760 bytes).
    static let typicalJSONLineBytes = 1024

    /// `check` reduced for `format`, its JSON line (`--format json`) appended to `json`; its
    /// position must already be set (the JSON of an input that is not a line names it), as
    /// ``InspectSizeCommand/Options/sized(_:position:json:)`` does.
    init(_ check: SizeCheck, format: InspectSizeCommand.Format, failOn: Finding.Severity, json: inout ByteWriter) {
        fails = check.fails(at: failOn)
        status = check.error.map { ExitStatus(for: $0.code) } ?? (fails ? .rejected : .success)
        unreadable = check.error.flatMap { $0.code == .malformed ? nil : $0 }
        if format == .json {
            check.writeJSON(to: &json)
            json.append(UInt8(ascii: "\n"))
            self.check = nil
        } else {
            self.check = check
        }
    }
}
