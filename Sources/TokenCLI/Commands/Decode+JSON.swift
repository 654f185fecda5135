import TokenKit

extension DecodeCommand {
    /// Appends the `--json` result of one token, ``writeJSONMembers(_:to:)`` and its `line`,
    /// as one compact JSON object and a line break.
    static func writeJSON(_ inspection: TokenInspection, line: Int, to out: inout ByteWriter) {
        out.append(UInt8(ascii: "{"))
        writeJSONMembers(inspection, to: &out)
        JSONBytes.raw(#","line":"#, to: &out)
        JSONBytes.number(line, to: &out)
        JSONBytes.raw("}\n", to: &out)
    }

    /// Appends the members of one token's `--json` result, without braces
    /// (``writeJSON(_:line:to:)`` and `decode --scan --json` put them in their objects),
    /// written straight into the output buffer: `header`; `payload`, the payload's JSON value
    /// (null when it is not JSON, and then `payload_text` holds it as text when it is UTF-8);
    /// `size`, `times`, `verified`, `warnings`, `findings`; and `error` {code, message} when
    /// the payload is not a claim set. The header and the payload are copied as received when
    /// they are already compact JSON (``CompactToken/serializeHeader(to:)``,
    /// ``TokenInspection/serializePayload(to:)``). `Issue12RenderPathTests` holds it to a
    /// JSON-tree rendering of the same result.
    static func writeJSONMembers(_ inspection: TokenInspection, to out: inout ByteWriter) {
        let token = inspection.token
        JSONBytes.raw(#""header":"#, to: &out)
        token.serializeHeader(to: &out)
        JSONBytes.raw(#","payload":"#, to: &out)
        inspection.serializePayload(to: &out)
        if let text = inspection.payloadText {
            JSONBytes.raw(#","payload_text":"#, to: &out)
            JSONBytes.string(text, to: &out)
        }
        JSONBytes.raw(#","size":{"total_bytes":"#, to: &out)
        JSONBytes.number(token.text.utf8.count, to: &out)
        JSONBytes.raw(#","header_bytes":"#, to: &out)
        JSONBytes.number(token.headerSegmentLength, to: &out)
        JSONBytes.raw(#","payload_bytes":"#, to: &out)
        JSONBytes.number(token.payloadSegmentLength, to: &out)
        JSONBytes.raw(#","signature_bytes":"#, to: &out)
        JSONBytes.number(token.signatureSegmentLength, to: &out)
        if let check = inspection.sizeCheck {
            JSONBytes.raw(#","budget_bytes":"#, to: &out)
            JSONBytes.number(check.budget.bytes, to: &out)
            JSONBytes.raw(#","over_budget":"#, to: &out)
            JSONBytes.bool(check.overBudget, to: &out)
            JSONBytes.raw(#","claims":"#, to: &out)
            check.writeClaimsJSON(to: &out)
        }
        JSONBytes.raw(#"},"times":{"#, to: &out)
        for (index, time) in inspection.times.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONBytes.string(time.name, to: &out)
            JSONBytes.raw(#":{"unix":"#, to: &out)
            JSONBytes.number(time.seconds, to: &out)
            JSONBytes.raw(#","utc":""#, to: &out)
            time.appendRFC3339(to: &out)  // digits, dashes and colons: nothing to escape
            JSONBytes.raw(#"","relative":""#, to: &out)
            time.appendRelative(to: &out)  // ASCII words and digits: nothing to escape
            JSONBytes.raw(#""}"#, to: &out)
        }
        JSONBytes.raw(#"},"verified":false,"warnings":"#, to: &out)
        JSONBytes.strings(inspection.warnings, to: &out)
        JSONBytes.raw(#","findings":"#, to: &out)
        if let check = inspection.sizeCheck {
            check.writeFindingsJSON(to: &out)
        } else {
            JSONBytes.raw("[]", to: &out)
        }
        if let error = inspection.payloadError {
            JSONBytes.raw(#","error":"#, to: &out)
            JSONBytes.error(error, to: &out)
        }
    }
}
