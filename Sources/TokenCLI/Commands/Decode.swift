import TokenKit

/// `tokenctl decode`: shows a token's header, payload, times, size and warnings, without
/// verifying it. Exit 0 when decoded, 1 when malformed.
enum DecodeCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        if arguments.has("scan") { return try ScanCommand.decode(arguments, console) }
        try ScanCommand.requireScan(arguments)
        let now = try CommonOptions.now(arguments)
        let maxTokenBytes = try CommonOptions.maxTokenBytes(arguments)
        let json = arguments.has("json")
        let paint = Painter(enabled: console.useColor(arguments))
        var inputs = try TokenInputs(arguments, console: console, maxTokenBytes: maxTokenBytes)
        var status = ExitStatus.success
        var first = true
        var hint = ScanHint()
        defer { hint.emit(console, command: "decode") }
        while let item = try inputs.next() {
            hint.note(item)
            do {
                if case .success(let text) = item, APIKey.looksLikeAPIKey(text) {
                    let result = try APIKeyDecode.run(text, json: json, batch: inputs.isBatch, first: first, paint: paint, console)
                    if result != .success { status = result }
                    first = false
                    continue
                }
                let inspection = TokenInspection(token: try CompactToken(item.get(), maxBytes: maxTokenBytes), now: now)
                if json {
                    console.stdout.write(CommonOptions.jsonLine(jsonObject(inspection)))
                } else {
                    if !first { console.stdout.write("\n") }
                    console.stdout.write(text(inspection, paint: paint))
                }
            } catch {
                let error = TokenError.wrapping(error)
                hint.failed()
                status = ExitStatus(for: error.code)
                if json {
                    let detail = JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))])
                    console.stdout.write(CommonOptions.jsonLine(JSONObject([("error", .object(detail))])))
                } else if inputs.isBatch {
                    if !first { console.stdout.write("\n") }
                    console.stdout.write("invalid \(error.code.id): \(error.reasonWithHint)\n")
                } else {
                    console.error("decode", code: error.code.id, error.reasonWithHint)
                }
            }
            first = false
        }
        return status
    }

    static func jsonObject(_ inspection: TokenInspection) -> JSONObject {
        let token = inspection.token
        var object = JSONObject()
        object["header"] = .object(token.header)
        object["payload"] = inspection.payload ?? inspection.payloadText.map(JSONValue.string) ?? .null
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
        return object
    }

    static func text(_ inspection: TokenInspection, paint: Painter = Painter(enabled: false)) -> String {
        let token = inspection.token
        var out = paint.bold("Header:") + "\n" + JSONValue.object(token.header).prettyPrinted() + "\n"
        if let payload = inspection.payload {
            out += paint.bold("Payload:") + "\n" + payload.prettyPrinted() + "\n"
        } else if let text = inspection.payloadText {
            out += paint.bold("Payload (not JSON):") + "\n" + text + "\n"
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
            out += paint.bold("Warnings:") + "\n" + inspection.warnings.map { "  - " + paint.yellow($0) + "\n" }.joined()
        }
        return out
    }
}
