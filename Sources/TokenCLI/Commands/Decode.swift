import TokenKit

/// `tokenctl decode`: shows a token's header, payload, times, size and warnings, without
/// verifying it. Exit 0 when decoded, 1 when malformed.
enum DecodeCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        _ = try BatchJobs.count(arguments)  // checked in --scan mode too, which uses one thread
        if arguments.has("scan") { return try ScanCommand.decode(arguments, console) }
        try ScanCommand.requireScan(arguments)
        let now = try CommonOptions.now(arguments)
        let maxTokenBytes = try CommonOptions.maxTokenBytes(arguments)
        let json = arguments.has("json")
        let numbered = arguments.has("line-number")
        let paint = Painter(enabled: console.useColor(arguments))
        var inputs = try TokenInputs(arguments, console: console, maxTokenBytes: maxTokenBytes)
        let jobs = try BatchJobs.count(arguments)
        let isBatch = inputs.isBatch
        var hint = ScanHint()
        defer { hint.emit(console, command: "decode") }
        /// One input, decoded and printed; every error is its result (nothing throws).
        ///
        /// - Parameters:
        ///   - item: the input's token, or why its line holds none.
        ///   - line: its line of standard input, or its argument's position.
        ///   - first: whether it is the first input (no blank line before its text result).
        @Sendable func decode(_ item: TokenInputs.Item, line: Int, first: Bool, _ console: Console) -> BatchJobs.Outcome {
            let prefix = numbered ? line : nil
            var status = ExitStatus.success
            do {
                if case .success(let text) = item, APIKey.looksLikeAPIKey(text) {
                    let result = try APIKeyDecode.run(
                        text, json: json, batch: isBatch, first: first, line: line, prefix: prefix,
                        paint: paint, console)
                    status = max(status, result)
                } else {
                    let inspection = TokenInspection(token: try CompactToken(item.get(), maxBytes: maxTokenBytes), now: now)
                    if json {
                        console.stdout.write { writeJSON(inspection, line: line, to: &$0) }
                    } else {
                        var written = false
                        console.stdout.write { out in
                            let start = out.count
                            if !first { out.append(UInt8(ascii: "\n")) }
                            written = writeTextResult(inspection, line: prefix, paint: paint, to: &out)
                            if !written { out.truncate(to: start) }
                        }
                        if !written {
                            if !first { console.stdout.write("\n") }
                            console.printResult(text(inspection, paint: paint), line: prefix, painted: paint.enabled)
                        }
                    }
                    // A token whose payload is not a claim set is malformed: shown, then exit 1.
                    if let error = inspection.payloadError {
                        status = max(status, ExitStatus(for: error.code))
                        if !json && !isBatch { console.error("decode", code: error.code.id, error.reasonWithHint) }
                    }
                }
            } catch {
                let error = TokenError.wrapping(error)
                status = max(status, ExitStatus(for: error.code))
                if json {
                    let detail = JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))])
                    console.stdout.write(CommonOptions.jsonLine(JSONObject([
                        ("error", .object(detail)), ("line", .number(JSONNumber(line))),
                    ])))
                } else if isBatch {
                    if !first { console.stdout.write("\n") }
                    console.printResult("invalid \(error.code.id): \(UntrustedText.escaped(error.reasonWithHint))\n", line: prefix)
                } else {
                    console.error("decode", code: error.code.id, error.reasonWithHint)
                }
                return BatchJobs.Outcome(status: status, failed: true)
            }
            return BatchJobs.Outcome(status: status)
        }
        @Sendable func decodeInput(_ indexed: BatchJobs.Indexed, _ console: Console) -> BatchJobs.Outcome {
            decode(indexed.input.item, line: indexed.input.line, first: indexed.index == 0, console)
        }
        // A line that is a bare token is decoded as read, without the input record the other
        // lines get; each line of standard input is one input, so line 1 is the first.
        // (Typed as the optional the parameter is: Swift 6.3 refuses to pass a non-optional
        // @Sendable closure value there as "non-Sendable".)
        let bareLine: (@Sendable () -> BatchJobs.LineWork)? = {
            { number, bytes, console in
                guard let token = TokenInputs.bareToken(fromLine: bytes) else { return nil }
                return decode(.success(token), line: number, first: number == 1, console)
            }
        }
        return try BatchJobs.run(
            jobs: jobs, inputs: &inputs, console: console, hint: &hint, parallel: decodeInput, serial: decodeInput,
            line: bareLine)
    }

    /// The human form. Untrusted text that could hold a line break (a non-JSON payload,
    /// warnings quoting the header) is escaped here; the caller escapes every line when it
    /// prints (``Console/printResult(_:line:)``).
    static func text(_ inspection: TokenInspection, paint: Painter = Painter(enabled: false)) -> String {
        var out = ByteWriter()
        writeText(inspection, paint: paint, escaping: true, to: &out)
        return out.string
    }

    /// Appends ``text(_:paint:)`` to `out`. Without `escaping`, text from the token is written
    /// as it is, for a caller that checks the whole rendering with
    /// ``UntrustedText/printsUnescaped(_:)`` (where that holds, both give the same bytes).
    ///
    /// - Returns: `false` when, without `escaping`, a piece of one-line text from the token
    ///   holds a line break, which that check cannot tell from the layout's own.
    @discardableResult
    static func writeText(_ inspection: TokenInspection, paint: Painter, escaping: Bool, to out: inout ByteWriter) -> Bool {
        let token = inspection.token
        var clean = true
        func untrusted(_ text: String) -> String {
            if escaping { return UntrustedText.escaped(text) }
            if clean, JSONBytes.hasLineBreak(text) { clean = false }
            return text
        }
        func append(_ text: String) { out.append(contentsOf: text) }
        append(paint.bold("Header:"))
        out.append(UInt8(ascii: "\n"))
        let header = token.prettyPrintedHeader
        append(escaping ? UntrustedText.escapedLines(header) : header)
        out.append(UInt8(ascii: "\n"))
        if let pretty = inspection.prettyPrintedPayload {
            append(paint.bold("Payload:"))
            out.append(UInt8(ascii: "\n"))
            append(escaping ? UntrustedText.escapedLines(pretty) : pretty)
            out.append(UInt8(ascii: "\n"))
        } else if let text = inspection.payloadText {
            append(paint.bold("Payload (not a claim set, as text):"))
            out.append(UInt8(ascii: "\n"))
            append(untrusted(text))
            out.append(UInt8(ascii: "\n"))
        } else {
            append(paint.bold("Payload:"))
            append(" \(token.payload.count) bytes of binary data\n")
        }
        if !inspection.times.isEmpty {
            append(paint.bold("Times:"))
            out.append(UInt8(ascii: "\n"))
            for time in inspection.times {
                JSONBytes.raw("  ", to: &out)
                append(time.name)
                JSONBytes.raw("  ", to: &out)
                time.appendRFC3339(to: &out)
                JSONBytes.raw("  (", to: &out)
                time.appendRelative(to: &out)
                JSONBytes.raw(")\n", to: &out)
            }
        }
        append(paint.bold("Signature:"))
        out.append(UInt8(ascii: " "))
        JSONBytes.number(token.signatureByteCount, to: &out)
        JSONBytes.raw(" bytes, ", to: &out)
        append(paint.yellow("NOT VERIFIED"))
        JSONBytes.raw(" (check it with 'tokenctl verify')\n", to: &out)
        if let check = inspection.sizeCheck {
            if !check.writeTextDetails(heading: paint.bold("Size"), escaping: escaping, to: &out) { clean = false }
        } else {
            append(paint.bold("Size:"))
            append(" \(token.text.utf8.count) bytes (header \(token.headerSegmentLength), payload \(token.payloadSegmentLength), signature \(token.signatureSegmentLength))\n")
        }
        if !inspection.warnings.isEmpty {
            append(paint.bold("Warnings:"))
            out.append(UInt8(ascii: "\n"))
            for warning in inspection.warnings {
                JSONBytes.raw("  - ", to: &out)
                append(paint.yellow(untrusted(warning)))
                out.append(UInt8(ascii: "\n"))
            }
        }
        return clean
    }

    /// Appends one text result as ``Console/printResult(_:line:painted:)`` prints
    /// ``text(_:paint:)`` (every line escaped, `LINE:` before each with `-n`), rendered
    /// straight into `out`, and returns `true`; returns `false`, with `out` as it was, when
    /// the result must take that general path (colours, or text that needs escaping).
    static func writeTextResult(_ inspection: TokenInspection, line: Int?, paint: Painter, to out: inout ByteWriter) -> Bool {
        guard !paint.enabled else { return false }
        let start = out.count
        guard let line else {
            if writeText(inspection, paint: paint, escaping: false, to: &out),
                out.withBytes(from: start, UntrustedText.printsUnescaped)
            {
                return true
            }
            out.truncate(to: start)
            return false
        }
        var text = ByteWriter(capacity: 1024)
        guard writeText(inspection, paint: paint, escaping: false, to: &text), text.withBytes(UntrustedText.printsUnescaped) else {
            return false
        }
        // "LINE:" before every line (the text ends with a line break, which starts none).
        var prefix = ByteWriter(capacity: 24)
        JSONBytes.number(line, to: &prefix)
        prefix.append(UInt8(ascii: ":"))
        text.withBytes { text in
            prefix.withBytes { prefix in
                var lineStart = 0
                for index in text.indices where text[index] == 0x0A {
                    out.append(contentsOf: prefix)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[lineStart...index]))
                    lineStart = index + 1
                }
                if lineStart < text.count {
                    out.append(contentsOf: prefix)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: text[lineStart...]))
                }
            }
        }
        return true
    }
}
