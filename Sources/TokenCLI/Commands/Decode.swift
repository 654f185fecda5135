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
        var status = ExitStatus.success
        var hint = ScanHint()
        defer { hint.emit(console, command: "decode") }
        /// One input, decoded and printed; every error is its result (nothing throws).
        @Sendable func decodeLine(_ item: BatchJobs.Indexed, _ console: Console) -> BatchJobs.Outcome {
            let input = item.input
            let first = item.index == 0
            let prefix = numbered ? input.line : nil
            var status = ExitStatus.success
            do {
                if case .success(let text) = input.item, APIKey.looksLikeAPIKey(text) {
                    let result = try APIKeyDecode.run(
                        text, json: json, batch: isBatch, first: first, line: input.line, prefix: prefix,
                        paint: paint, console)
                    status = max(status, result)
                } else {
                    let inspection = TokenInspection(token: try CompactToken(input.item.get(), maxBytes: maxTokenBytes), now: now)
                    if json {
                        console.stdout.write { writeJSON(inspection, line: input.line, to: &$0) }
                    } else {
                        if !first { console.stdout.write("\n") }
                        console.printResult(text(inspection, paint: paint), line: prefix, painted: paint.enabled)
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
                        ("error", .object(detail)), ("line", .number(JSONNumber(input.line))),
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
        try BatchJobs.run(
            jobs: jobs, inputs: &inputs, console: console,
            parallel: decodeLine, serial: decodeLine,
            each: { input, outcome in
                hint.note(input.item)
                if outcome.failed { hint.failed() }
                status = max(status, outcome.status)
            })
        return status
    }

    /// The JSON form: `payload` is the payload's JSON value (null when it is not JSON, and
    /// then `payload_text` holds it as text when it is UTF-8); `error` {code, message} says
    /// why a payload is not a claim set.
    static func jsonObject(_ inspection: TokenInspection) -> JSONObject {
        let token = inspection.token
        var object = JSONObject()
        object["header"] = .object(token.header)
        object["payload"] = inspection.payload ?? .null
        if let text = inspection.payloadText { object["payload_text"] = .string(text) }
        var size = JSONObject([
            ("total_bytes", .number(JSONNumber(token.text.utf8.count))),
            ("header_bytes", .number(JSONNumber(token.headerSegment.utf8.count))),
            ("payload_bytes", .number(JSONNumber(token.payloadSegment.utf8.count))),
            ("signature_bytes", .number(JSONNumber(token.signatureSegment.utf8.count))),
        ])
        let sizeDetails = inspection.sizeCheck?.jsonValue.objectValue
        for name in ["budget_bytes", "over_budget", "claims"] { size[name] = sizeDetails?[name] }
        object["size"] = .object(size)
        object["times"] = .object(JSONObject(inspection.times.map {
            ($0.name, .object(JSONObject([("unix", .number(JSONNumber($0.seconds))), ("utc", .string($0.rfc3339)), ("relative", .string($0.relative))])))
        }))
        object["verified"] = .bool(false)
        object["warnings"] = .array(inspection.warnings.map(JSONValue.string))
        object["findings"] = sizeDetails?["findings"] ?? .array([])
        if let error = inspection.payloadError {
            object["error"] = .object(JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))]))
        }
        return object
    }

    /// The human form. Untrusted text that could hold a line break (a non-JSON payload,
    /// warnings quoting the header) is escaped here; the caller escapes every line when it
    /// prints (``Console/printResult(_:line:)``).
    static func text(_ inspection: TokenInspection, paint: Painter = Painter(enabled: false)) -> String {
        let token = inspection.token
        var out = paint.bold("Header:") + "\n" + UntrustedText.escapedLines(JSONValue.object(token.header).prettyPrinted()) + "\n"
        if let payload = inspection.payload {
            out += paint.bold("Payload:") + "\n" + UntrustedText.escapedLines(payload.prettyPrinted()) + "\n"
        } else if let text = inspection.payloadText {
            out += paint.bold("Payload (not a claim set, as text):") + "\n" + UntrustedText.escaped(text) + "\n"
        } else {
            out += paint.bold("Payload:") + " \(token.payload.count) bytes of binary data\n"
        }
        if !inspection.times.isEmpty {
            out += paint.bold("Times:") + "\n"
            for time in inspection.times {
                out += "  \(time.name)  \(time.rfc3339)  (\(time.relative))\n"
            }
        }
        out += paint.bold("Signature:") + " \(token.signature.count) bytes, " + paint.yellow("NOT VERIFIED")
            + " (check it with 'tokenctl verify')\n"
        if let check = inspection.sizeCheck {
            out += check.textDetails(heading: paint.bold("Size"))
        } else {
            out += paint.bold("Size:") + " \(token.text.utf8.count) bytes (header \(token.headerSegment.utf8.count), payload \(token.payloadSegment.utf8.count), signature \(token.signatureSegment.utf8.count))\n"
        }
        if !inspection.warnings.isEmpty {
            out += paint.bold("Warnings:") + "\n" + inspection.warnings.map { "  - " + paint.yellow(UntrustedText.escaped($0)) + "\n" }.joined()
        }
        return out
    }
}
