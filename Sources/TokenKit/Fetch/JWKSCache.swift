/// A directory of fetched key sets: one file per source URL (named by the SHA-256 of the
/// URL), holding the JWKS, when it was fetched, how long it stays fresh, and the issuer it
/// was found through.
struct JWKSCache {
    /// One cached key set.
    struct Entry {
        var source: String
        var fetched: Int64
        var maxAge: Int64
        var issuer: String?
        var jwks: JSONObject
    }

    let directory: String

    private func path(for source: String) throws -> String {
        let hash = try Digest.sha256(Array(source.utf8))
        let hex = hash.map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
        }.joined()
        return "\(directory)/\(hex).json"
    }

    /// The entry for `source`, or `nil` when there is none or it cannot be read.
    func read(_ source: String) -> Entry? {
        guard let path = try? path(for: source), FileAccess.isRegularFile(path),
            let bytes = try? FileAccess.read(path, what: "JWKS cache file"),
            let object = try? JSONParser.parseObject(bytes, what: "JWKS cache file", code: .malformedJSON),
            object["source"]?.stringValue == source,
            let fetched = object["fetched"]?.numberValue?.int64Value,
            let maxAge = object["max_age"]?.numberValue?.int64Value,
            let jwks = object["jwks"]?.objectValue
        else { return nil }
        return Entry(source: source, fetched: fetched, maxAge: maxAge, issuer: object["issuer"]?.stringValue, jwks: jwks)
    }

    /// Stores an entry (atomically; the directory is created with mode 0700 when missing).
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable``.
    func write(_ entry: Entry) throws {
        try FileAccess.makeDirectory(directory, mode: 0o700)
        let object = JSONObject([
            ("source", .string(entry.source)),
            ("fetched", .number(JSONNumber(entry.fetched))),
            ("max_age", .number(JSONNumber(entry.maxAge))),
            ("issuer", entry.issuer.map(JSONValue.string) ?? .null),
            ("jwks", .object(entry.jwks)),
        ])
        try FileAccess.writeAtomically(Array((object.serialized + "\n").utf8), to: try path(for: entry.source), mode: 0o644)
    }
}
