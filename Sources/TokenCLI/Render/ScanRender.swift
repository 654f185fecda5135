import TokenKit

/// What the three `--scan` renderers share: how a found token is named, how its place is
/// written, and the escaping of untrusted text (anything read from the scanned input).
enum ScanRender {
    /// The token as printed: its text with `--show-tokens`, else its fingerprint.
    static func name(_ finding: ScanFinding, showTokens: Bool) -> String {
        showTokens ? untrusted(finding.text) : finding.fingerprint
    }

    /// `FILE:LINE: summary`, escaped.
    static func place(_ place: ScanPlace) -> String {
        untrusted("\(place.source):\(place.line): \(place.summary)")
    }

    /// The first place, then ` (found N times; also at f:l, f:l, ...)` when found more than once.
    static func heading(_ finding: ScanFinding, showTokens: Bool) -> String {
        var text = "\(place(finding.place)): \(name(finding, showTokens: showTokens))"
        if finding.count > 1 {
            text += " (found \(finding.count) times"
            var others: [String] = []
            for other in finding.places.dropFirst() {
                let location = untrusted("\(other.source):\(other.line)")
                if !others.contains(location) && location != untrusted("\(finding.place.source):\(finding.place.line)") {
                    others.append(location)
                }
            }
            if !others.isEmpty {
                text += "; also at " + others.prefix(5).joined(separator: ", ") + (others.count > 5 ? ", ..." : "")
            }
            text += ")"
        }
        return text
    }

    /// The JSON description of a place: `{file, line, carrier, name, header, direction, har_entry, description}`.
    static func json(_ place: ScanPlace) -> JSONValue {
        var object = JSONObject([
            ("file", .string(place.source)), ("line", .number(JSONNumber(place.line))), ("carrier", .string(place.kind)),
        ])
        object["name"] = place.name.map(JSONValue.string) ?? .null
        if let header = place.header { object["header"] = .string(header) }
        if let direction = place.direction { object["direction"] = .string(direction.rawValue) }
        if let entry = place.harEntry {
            object["har_entry"] = .object(JSONObject([
                ("index", .number(JSONNumber(entry.index))), ("method", .string(entry.method)), ("url", .string(entry.url)),
                ("part", .string(entry.part)),
            ]))
        }
        object["description"] = .string(place.summary)
        return .object(object)
    }

    /// The members every JSON result of a scan starts with: `fingerprint`, `token` (with
    /// `--show-tokens`), `count` and `places`.
    static func jsonHead(_ finding: ScanFinding, showTokens: Bool) -> JSONObject {
        var object = JSONObject([("fingerprint", .string(finding.fingerprint))])
        if showTokens { object["token"] = .string(finding.text) }
        object["count"] = .number(JSONNumber(finding.count))
        object["places"] = .array(finding.places.map(json))
        return object
    }

    /// Appends `{` and the members of ``jsonHead(_:showTokens:)``, leaving the object open
    /// for the caller's own members and closing brace: the same bytes as its serialization,
    /// written without the tree (which, built for every finding, was ~8 % of a
    /// `verify --scan --json`).
    static func openJSONHead(_ finding: ScanFinding, showTokens: Bool, to out: inout ByteWriter) {
        JSONBytes.raw(#"{"fingerprint":"#, to: &out)
        JSONBytes.string(finding.fingerprint, to: &out)
        if showTokens {
            JSONBytes.raw(#","token":"#, to: &out)
            JSONBytes.string(finding.text, to: &out)
        }
        JSONBytes.raw(#","count":"#, to: &out)
        JSONBytes.number(finding.count, to: &out)
        JSONBytes.raw(#","places":["#, to: &out)
        for (index, place) in finding.places.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            writeJSON(place, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Appends ``json(_:)``'s compact serialization.
    private static func writeJSON(_ place: ScanPlace, to out: inout ByteWriter) {
        JSONBytes.raw(#"{"file":"#, to: &out)
        JSONBytes.string(place.source, to: &out)
        JSONBytes.raw(#","line":"#, to: &out)
        JSONBytes.number(place.line, to: &out)
        JSONBytes.raw(#","carrier":"#, to: &out)
        JSONBytes.string(place.kind, to: &out)
        JSONBytes.raw(#","name":"#, to: &out)
        JSONBytes.string(place.name, to: &out)
        if let header = place.header {
            JSONBytes.raw(#","header":"#, to: &out)
            JSONBytes.string(header, to: &out)
        }
        if let direction = place.direction {
            JSONBytes.raw(#","direction":"#, to: &out)
            JSONBytes.string(direction.rawValue, to: &out)
        }
        if let entry = place.harEntry {
            JSONBytes.raw(#","har_entry":{"index":"#, to: &out)
            JSONBytes.number(entry.index, to: &out)
            JSONBytes.raw(#","method":"#, to: &out)
            JSONBytes.string(entry.method, to: &out)
            JSONBytes.raw(#","url":"#, to: &out)
            JSONBytes.string(entry.url, to: &out)
            JSONBytes.raw(#","part":"#, to: &out)
            JSONBytes.string(entry.part, to: &out)
            out.append(UInt8(ascii: "}"))
        }
        JSONBytes.raw(#","description":"#, to: &out)
        JSONBytes.string(place.summary, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Escapes untrusted text for a terminal (``UntrustedText/escaped(_:)``).
    static func untrusted(_ text: String) -> String { UntrustedText.escaped(text) }
}
