@testable import TokenKit

/// The fuzz targets: each takes libFuzzer's bytes, runs one parser, and checks properties
/// (not only "no crash"); a broken property traps, which libFuzzer reports as a crash.
enum FuzzTargets {
    /// Every target by name (FUZZ_TARGET).
    static let all: [String: @Sendable ([UInt8]) -> Void] = [
        "token": token, "json": json, "base64url": base64url, "keys": keys, "scan": scan, "har": har,
        "time": time, "apikey": apiKey, "keyset": keyset, "http": http, "policy": policy,
    ]

    static func check(_ condition: Bool, _ message: @autoclosure () -> String) {
        if !condition { fatalError("property broken: \(message())") }
    }

    static let secretKey = try! Key(hmacSecret: Array("a-very-long-hmac-secret-of-at-least-32-bytes!".utf8))
    static let verifier = TokenVerifier(
        signatureVerifier: try! SignatureVerifier(keys: [secretKey]), requirements: ClaimRequirements(now: 1_800_000_000))

    /// Compact token parse and verify: a token that verifies verifies again after re-parsing,
    /// and its text is the input; a rejected input never yields a result.
    static func token(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        if let token = try? CompactToken(text) {
            check(token.text == text, "text round trip")
            check(Base64URL.encode(token.payload) == String(token.text.split(separator: ".", omittingEmptySubsequences: false)[1]),
                  "payload re-encodes to its segment")
        }
        if let verified = try? verifier.verify(text) {
            check((try? verifier.verify(verified.token.text))?.claims == verified.claims, "verifies again")
        }
        usualPathAgrees(data)
        // A signed token with fuzzed claims verifies and round-trips.
        if case .object(let claims)? = try? JSONParser.parse(data), claims["exp"] == nil, claims["aud"] == nil,
           claims["nbf"] == nil, claims["iat"] == nil, claims["iss"] == nil, claims["sub"] == nil, claims["jti"] == nil {
            var claims = claims
            claims["exp"] = .number(JSONNumber(Int64(1_900_000_000)))
            if let signed = try? TokenSigner(key: secretKey).sign(claims) {
                check((try? verifier.verify(signed))?.claims.object == claims, "signed claims verify: \(signed)")
                usualPathAgrees(Array(signed.utf8))
            }
        }
    }

    /// Batch verify's path for a bare token (``TokenVerifier/verifyUsual(_:_:)``) gives the
    /// general path's verdict (the same claims, or the same error), or leaves the token to it.
    static func usualPathAgrees(_ bytes: [UInt8]) {
        var usualClaims = ByteWriter()
        let usual = Result { try bytes.withUnsafeBufferPointer { try verifier.verifyUsual($0) { $0.serializeClaims(to: &usualClaims) } } }
        let general = Result { try verifier.verify(String(decoding: bytes, as: UTF8.self)) }
        switch (usual, general) {
        case (.success(false), _):
            return
        case (.success(true), .success(let verified)):
            var claims = ByteWriter()
            verified.serializeClaims(to: &claims)
            check(usualClaims.bytes == claims.bytes, "usual path's claims differ from the general path's")
        case (.failure(let mine), .failure(let theirs)):
            check("\(mine)" == "\(theirs)", "usual path's rejection differs: \(mine) / \(theirs)")
        default:
            check(false, "usual path decides \(usual) where the general path gives \(general)")
        }
    }

    /// JSON: parse, serialize, parse gives the same value and the same text; the reference
    /// decoder agrees on accept or reject for valid UTF-8 input; verify's in-place claim
    /// scanner accepts exactly the compact objects the parser accepts, with the same claims;
    /// the facts the parser notes (compactness, members' spans) hold.
    static func json(_ data: [UInt8]) {
        claimScanner(data)
        let parsed = try? JSONParser.parse(data)
        if let parsed {
            let text = parsed.serialized
            let again = try? JSONParser.parse(text)
            check(again == parsed, "re-parse equals")
            check(again?.serialized == text, "serialization is stable")
            documentFacts(data)
        }
        if String(validating: data, as: UTF8.self) != nil {
            var reference = ReferenceJSON(data)
            let accepted = reference.accepts()
            check(accepted == (parsed != nil), "reference decoder \(accepted ? "accepts" : "rejects"): \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    /// What ``JSONParser/parseDocument(_:recordingMembers:maxDepth:)`` notes of a text it
    /// accepts: compact exactly when ``JSONValue/isCompactSerialization(_:)`` says so, and for
    /// an object, one span a member, each of which removed leaves the object without it.
    static func documentFacts(_ data: [UInt8]) {
        guard let document = try? JSONParser.parseDocument(data, recordingMembers: true) else { return }
        check(document.isCompact == data.withUnsafeBytes(JSONValue.isCompactSerialization), "compactness differs")
        guard case .object(let object) = document.value else { return }
        let spans = document.memberSpans
        check(spans.count == object.count, "one span a member")
        for index in spans.indices.prefix(8) where spans.count == object.count {
            var rest = data
            rest.removeSubrange(ClaimCost.removal(ofMember: index, spans: spans))
            var expected = object
            expected[object.names[index]] = nil
            check((try? JSONParser.parse(rest))?.objectValue == expected, "removing member \(index)'s span")
        }
    }

    /// The in-place claim scanner (``JSONClaimScanner``, verify's fast path) against the parser.
    static func claimScanner(_ data: [UInt8]) {
        let scanned = data.withUnsafeBufferPointer(JSONClaimScanner.scan)
        var reference: JWTClaims.Registered?
        if let object = try? JSONParser.parseObject(data, what: "payload", code: .malformed),
           data.withUnsafeBytes(JSONValue.isCompactSerialization) {
            reference = JWTClaims(object).registered
        }
        check((scanned != nil) == (reference != nil), "claim scanner \(scanned != nil ? "accepts" : "rejects") what the parser does not")
        guard let reference else { return }
        data.withUnsafeBufferPointer { compare(reference, JWTClaims.Registered(inPlace: $0)) }
    }

    /// The registered claims read in place, when the scanner gives them, against the parser's.
    private static func compare(_ reference: JWTClaims.Registered, _ inPlace: JWTClaims.Registered?) {
        guard let inPlace else { return }
        func fields(_ r: JWTClaims.Registered) -> [JSONValue?] { [r.iss, r.sub, r.aud, r.exp, r.nbf, r.iat, r.jti] }
        check(fields(inPlace) == fields(reference), "claims read in place differ from the parser's")
        // The type checks skip making values read in place: they must decide as on the parsed claims.
        func typeCheck(_ r: JWTClaims.Registered) -> String {
            do {
                let dates = try r.checkTypes(rounding: .up)
                return "\(dates.exp as Any) \(dates.nbf as Any) \(dates.iat as Any)"
            } catch {
                return "\(error)"
            }
        }
        check(typeCheck(inPlace) == typeCheck(reference), "type checks of claims read in place differ from the parser's")
    }

    /// base64url: decode(encode(x)) == x, and a decodable text is canonical (encode(decode(t)) == t).
    static func base64url(_ data: [UInt8]) {
        check((try? Base64URL.decode(Base64URL.encode(data))) == data, "round trip")
        let text = String(decoding: data, as: UTF8.self)
        if let bytes = try? Base64URL.decode(text) { check(Base64URL.encode(bytes) == text, "canonical") }
    }

    /// PEM, JWK and JWKS loading: loaded keys' public JWKs load again to the same thumbprint.
    static func keys(_ data: [UInt8]) {
        guard let keys = try? KeySource.keys(from: data, password: Array("fuzz".utf8)) else { return }
        for key in keys {
            guard let jwk = key.publicJWK() else { continue }
            let reloaded = try? Key(jwk: jwk)
            check(reloaded?.thumbprint() == key.thumbprint(), "public JWK reloads to the same thumbprint")
        }
    }

    /// Header-line and free-text extraction: every occurrence is text of the input, and a
    /// line's token is a substring of the line.
    static func scan(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        if let token = TokenExtractor.token(fromLine: text) { check(token.isEmpty || text.contains(token), "extracted token is in the line") }
        var scanner = TokenScanner(source: "fuzz", maxLineBytes: 4096)
        var found: [String] = []
        scanner.feed(data) { found.append($0.text) }
        scanner.finish { found.append($0.text) }
        for occurrence in found { check(!occurrence.isEmpty, "empty occurrence") }
    }

    /// HAR documents: no crash, every occurrence non-empty.
    static func har(_ data: [UInt8]) {
        try? HARScanner.scan(data, source: "fuzz.har") { check(!$0.text.isEmpty, "empty occurrence") }
    }

    /// Durations and instants: a parsed duration is within the bound, and its short form
    /// (two units at most, so lossy by design) parses to at most the same value.
    static func time(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        if let seconds = try? TokenDuration.parse(text) {
            check(seconds >= 0 && seconds <= TokenDuration.maxSeconds, "duration bound")
            let shown = try? TokenDuration.parse(TokenDuration.format(seconds))
            check(shown != nil && shown! <= seconds, "short form of \(seconds) parses to at most it")
        }
        if let instant = try? Instant.parse(text), instant >= 0, instant < 253_402_300_800 {
            check((try? Instant.parse(Instant.rfc3339(instant))) == instant, "RFC 3339 round trip of \(instant)")
        }
        _ = try? Instant.parse(durationOrInstant: text, from: 1_800_000_000)
    }

    /// API keys: an inspectable key keeps its prefix as the start of its text.
    static func apiKey(_ data: [UInt8]) {
        let text = String(decoding: data, as: UTF8.self)
        if let inspection = try? APIKey.inspect(text) { check(text.hasPrefix(inspection.prefix), "prefix") }
        _ = try? APIKey(text)
    }

    /// Keyset files: a loaded keyset's private file text loads again to the same kids.
    static func keyset(_ data: [UInt8]) {
        guard let keyset = try? Keyset.parse(data, directory: "/nonexistent", path: "keys.json", isPrivate: true) else { return }
        if let bytes = try? keyset.privateFileBytes(),
           let again = try? Keyset.parse(bytes, directory: "/nonexistent", path: "keys.json", isPrivate: true) {
            check(again.entries.map(\.kid) == keyset.entries.map(\.kid), "keyset round trip")
        }
    }

    /// The JWKS fetcher's HTTP response parser: a body is never larger than its bound.
    static func http(_ data: [UInt8]) {
        var reader = ResponseReader(FuzzStream(data), deadline: Deadline(seconds: 5))
        guard let head = try? reader.readHead() else { return }
        check(head.headers.count <= ResponseReader.maxHeaderFields, "header bound")
        if let body = try? reader.readBody(headers: head.headers, maxBytes: 4096) { check(body.count <= 4096, "body bound") }
    }

    /// Policy files: no crash; a parsed policy has a positive budget.
    static func policy(_ data: [UInt8]) {
        if let policy = try? ClaimPolicy(json: data) { check(policy.budget.bytes > 0, "budget") }
    }
}

/// libFuzzer's bytes as a byte stream, served in small reads.
final class FuzzStream: ByteStream {
    private var bytes: ArraySlice<UInt8>
    init(_ bytes: [UInt8]) { self.bytes = bytes[...] }
    func write(_ bytes: [UInt8], deadline: Deadline) throws {}
    func read(upTo count: Int, deadline: Deadline) throws -> [UInt8] {
        let chunk = Array(bytes.prefix(min(count, 777)))
        bytes = bytes.dropFirst(chunk.count)
        return chunk
    }
    func close() {}
}

nonisolated(unsafe) private var selected: (@Sendable ([UInt8]) -> Void)?

@_cdecl("tokenctl_fuzz_select")
public func tokenctlFuzzSelect(_ name: UnsafePointer<CChar>) -> Int32 {
    selected = FuzzTargets.all[String(cString: name)]
    return selected == nil ? 0 : 1
}

@_cdecl("tokenctl_fuzz_one")
public func tokenctlFuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    selected?(bytes)
}
