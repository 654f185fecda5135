import TokenKit

/// `tokenctl decode` for an API key: its prefix, kind, whether the checksum is valid, the
/// secret id of a keyset-bound key, its length and SHA-256. The key itself is not printed.
enum APIKeyDecode {
    /// Decodes one API key and prints what it says; `.rejected` when it is not valid
    /// (bad checksum, prefix or layout).
    ///
    /// - Throws: ``TokenError`` `malformed` when the text is not shaped like an API key.
    static func run(
        _ text: String, json: Bool, batch: Bool, first: Bool, line: Int, prefix: Int?, paint: Painter,
        _ console: Console
    ) throws -> ExitStatus {
        let inspection = try APIKey.inspect(text)
        let sha256 = try APIKey.sha256Hex(of: text)
        if json {
            var object = jsonObject(inspection, sha256: sha256)
            object["line"] = .number(JSONNumber(line))
            console.stdout.write(CommonOptions.jsonLine(object))
        } else {
            if !first { console.stdout.write("\n") }
            console.printResult(self.text(inspection, sha256: sha256, paint: paint), line: prefix, painted: paint.enabled)
            if let problem = inspection.problem, !batch {
                console.error("decode", code: problem.code.id, problem.reason)
            }
        }
        return inspection.problem.map { ExitStatus(for: $0.code) } ?? .success
    }

    /// `{"api_key": true, "prefix", "kind", "checksum_valid", "secret_id", "bytes", "sha256",
    /// "verified": false}`, and `"error": {code, message}` when the key is not valid.
    static func jsonObject(_ inspection: APIKey.Inspection, sha256: String) -> JSONObject {
        var object = JSONObject([
            ("api_key", .bool(true)),
            ("prefix", .string(inspection.prefix)),
            ("kind", inspection.kind.map { .string($0.rawValue) } ?? .null),
            ("checksum_valid", .bool(inspection.checksumValid)),
            ("secret_id", inspection.secretID.map(JSONValue.string) ?? .null),
            ("bytes", .number(JSONNumber(inspection.byteCount))),
            ("sha256", .string(sha256)),
            ("verified", .bool(false)),
        ])
        if let problem = inspection.problem {
            object["error"] = .object(JSONObject([("code", .string(problem.code.id)), ("message", .string(problem.reason))]))
        }
        return object
    }

    /// The human description.
    static func text(_ inspection: APIKey.Inspection, sha256: String, paint: Painter) -> String {
        let kind = switch inspection.kind {
        case .opaque: "opaque"
        case .keyset: "keyset-bound"
        case nil: "unknown (the body has neither kind's length)"
        }
        var out = paint.bold("API key:") + " \(kind), \(inspection.byteCount) characters\n"
        out += paint.bold("Prefix:") + " \(inspection.prefix)\n"
        if let id = inspection.secretID { out += paint.bold("Secret id:") + " \(id)\n" }
        out += paint.bold("Checksum:") + " " + (inspection.checksumValid ? "valid" : paint.red("INVALID")) + "\n"
        out += paint.bold("SHA-256:") + " \(sha256)\n"
        out += paint.yellow("NOT VERIFIED") + " (check it with 'tokenctl verify')\n"
        return out
    }
}
