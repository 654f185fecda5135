/// A JWS in compact serialization (RFC 7515 §7.1), split and decoded but not verified.
///
/// Parsing is strict and bounded: the text must be at most ``maxBytes`` long, have exactly
/// three dot-separated segments of strict base64url, and a header that is a JSON object
/// (nesting at most 64 levels, no duplicate members) with a string `alg`. The payload is
/// kept as bytes: a JWS may sign anything; ``JWTClaims`` reads it as a claim set.
///
/// An `alg` of `none` parses (so `decode` can show such a token); the verifier rejects it.
public struct CompactToken: Sendable {
    /// The default size bound: 256 KiB. No HTTP stack passes a header this large, so a
    /// bigger token is malformed unless the caller raises the bound (`maxBytes`; the error's
    /// remedy is ``TokenError/Remedy/raiseTokenSizeLimit``).
    public static let defaultMaxBytes = 256 * 1024

    /// The token text exactly as received.
    public let text: String
    /// The decoded protected header.
    public var header: JSONObject { headerEntry.header }
    /// The decoded protected header's JSON text, exactly as the token carries it.
    public var headerJSON: [UInt8] { headerEntry.json }
    /// The header, its JSON text and what is looked up in it (shared with every token of
    /// this thread that has the same header segment: ``HeaderCache``).
    let headerEntry: HeaderCache.Entry
    /// The decoded payload bytes.
    public let payload: [UInt8]
    /// The decoded signature bytes (empty when the third segment is empty), decoded from
    /// ``signatureSegment`` when asked for: parsing checked it is strict base64url, and a
    /// batch `decode` or `inspect-size`, which only counts it, makes no array for it.
    public var signature: [UInt8] { withSignature { Array($0) } }
    /// The number of decoded signature bytes (``signature``'s count), from the segment's length.
    public var signatureByteCount: Int { signatureSegmentLength * 3 / 4 }
    private let firstDot: String.Index
    private let secondDot: String.Index

    /// Splits and decodes a compact JWS.
    ///
    /// - Parameters:
    ///   - text: the token, without surrounding whitespace.
    ///   - maxBytes: the size bound, checked before any parsing.
    /// - Throws: ``TokenError/Code/malformed`` naming what is wrong.
    public init(_ text: String, maxBytes: Int = CompactToken.defaultMaxBytes) throws {
        let length = text.utf8.count
        if length > maxBytes {
            throw TokenError(
                .malformed, "token is \(length) bytes, over the \(maxBytes)-byte limit", remedy: .raiseTokenSizeLimit)
        }
        if length == 0 { throw TokenError.malformed("empty token") }
        if text.utf8.starts(with: [0xEF, 0xBB, 0xBF]) {
            throw TokenError.malformed(
                "token starts with a UTF-8 byte order mark (U+FEFF, bytes EF BB BF), which is not part of a token: "
                    + "save the file without a BOM")
        }
        var text = text
        text.makeContiguousUTF8()
        let (dotCount, offsets) = text.withUTF8(Self.dots)
        let utf8 = text.utf8
        switch dotCount {
        case 2: break
        case 4: throw TokenError.malformed("token has 5 segments: a JWE (encrypted token); only JWS is supported")
        default:
            if let scheme = Self.otherAuthorizationScheme(text) {
                throw TokenError.malformed(
                    "this is an Authorization value of the \(scheme) scheme, which carries no JWT (a JWT comes as Bearer, DPoP or JWT)")
            }
            let count = dotCount > 4 ? "more than 5 segments" : dotCount == 0 ? "1 segment" : "\(dotCount + 1) segments"
            throw TokenError.malformed("token has \(count); a JWS has 3 (header.payload.signature)")
        }
        self.text = text
        self.firstDot = utf8.index(utf8.startIndex, offsetBy: offsets.0)
        self.secondDot = utf8.index(utf8.startIndex, offsetBy: offsets.1)
        let decoded = text.withUTF8 { Self.usualParts($0, dots: offsets) }
        let (entry, payload) = try decoded ?? Self.decodeSegments(text, headerBytes: offsets.0, firstDot: firstDot, secondDot: secondDot)
        self.headerEntry = entry
        self.payload = payload
    }

    /// Lends the decoded ``signature`` to `body`, decoded into scratch space (on the stack
    /// when small), without an array.
    func withSignature<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = text.utf8.distance(from: text.utf8.startIndex, to: secondDot) + 1
        func decode(_ bytes: UnsafeBufferPointer<UInt8>) throws -> Result {
            let segment = UnsafeBufferPointer(rebasing: bytes[start...])
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Base64URL.decodingRoom(segment.count)) { scratch in
                // Checked when the token was parsed: the segment decodes again.
                try body(Base64URL.decodedIfStrict(segment, into: scratch) ?? UnsafeBufferPointer(rebasing: scratch[..<0]))
            }
        }
        // The text was made contiguous when parsed: its bytes are lent in place.
        if let result = try text.utf8.withContiguousStorageIfAvailable(decode) { return result }
        return try Array(text.utf8).withUnsafeBufferPointer(decode)
    }

    /// The number of dots in a token's bytes (counted up to five, by `memchr`) and the
    /// offsets of the first two (0 when absent).
    static func dots(_ bytes: UnsafeBufferPointer<UInt8>) -> (count: Int, offsets: (Int, Int)) {
        guard let base = bytes.baseAddress else { return (0, (0, 0)) }
        var offsets = (0, 0)
        var count = 0
        var from = 0
        while count <= 4, let dot = ByteSearch.find(UInt8(ascii: "."), base, from: from, to: bytes.count) {
            if count == 0 { offsets.0 = dot } else if count == 1 { offsets.1 = dot }
            count += 1
            from = dot + 1
        }
        return (count, offsets)
    }

    /// The usual token's parts, decoded straight from its bytes, whose two dots are at
    /// `dots`: a header that passes (``usualHeader(_:)``), a payload and a signature of strict
    /// base64url. `nil` for anything else: the general path then names what is wrong.
    private static func usualParts(_ bytes: UnsafeBufferPointer<UInt8>, dots: (Int, Int)) -> (HeaderCache.Entry, [UInt8])? {
        guard dots.0 > 0, let entry = usualHeader(UnsafeBufferPointer(rebasing: bytes[..<dots.0])),
            let payload = try? Base64URL.decode(utf8Buffer: UnsafeBufferPointer(rebasing: bytes[(dots.0 + 1)..<dots.1])),
            isStrictBase64URL(UnsafeBufferPointer(rebasing: bytes[(dots.1 + 1)...]))
        else { return nil }
        return (entry, payload)
    }

    /// Whether a segment is strict base64url, decoded into scratch space and dropped.
    private static func isStrictBase64URL(_ segment: UnsafeBufferPointer<UInt8>) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Base64URL.decodingRoom(segment.count)) {
            Base64URL.decodedIfStrict(segment, into: $0) != nil
        }
    }

    /// The header of a segment that is strict base64url of a header passing every check of
    /// ``checkedHeader(_:segment:)``: a segment seen before, byte for byte, is taken from the
    /// cache. `nil` for any other segment.
    static func usualHeader(_ segment: UnsafeBufferPointer<UInt8>) -> HeaderCache.Entry? {
        HeaderCache.shared.entry(for: segment) ?? (try? parseHeader(segment))
    }

    /// Decodes and checks a header segment, and stores it in the cache.
    private static func parseHeader(_ segment: UnsafeBufferPointer<UInt8>) throws -> HeaderCache.Entry {
        try checkedHeader(Base64URL.decode(utf8Buffer: segment), segment: Array(segment))
    }

    /// The general path: the segments as substrings of the text, each decoded, throwing
    /// the first problem (the header first, then the payload, then the signature).
    private static func decodeSegments(
        _ text: String, headerBytes: Int, firstDot: String.Index, secondDot: String.Index
    ) throws -> (HeaderCache.Entry, [UInt8]) {
        let headerText = text[text.startIndex..<firstDot]
        let payloadText = text[text.index(after: firstDot)..<secondDot]
        let signatureText = text[text.index(after: secondDot)...]
        if headerText.isEmpty { throw TokenError.malformed("token header segment is empty") }
        let cached = text.utf8.withContiguousStorageIfAvailable {
            HeaderCache.shared.entry(for: UnsafeBufferPointer(rebasing: $0[..<headerBytes]))
        } ?? nil
        let entry = try cached ?? checkedHeader(decodeSegment(headerText, name: "header"), segment: Array(headerText.utf8))
        let payload = try decodeSegment(payloadText, name: "payload")
        _ = try decodeSegment(signatureText, name: "signature")  // checked here; decoded again when used
        return (entry, payload)
    }

    /// Checks a decoded header (a JSON object with a string `alg`; `kid`, `typ` and `cty`
    /// strings when present) and stores it in the cache under its segment's bytes.
    private static func checkedHeader(_ headerBytes: [UInt8], segment: [UInt8]) throws -> HeaderCache.Entry {
        let header = try JSONParser.parseObject(headerBytes, what: "header", code: .malformed)
        guard let alg = header["alg"] else { throw TokenError.malformed("header has no \"alg\" member") }
        guard alg.stringValue != nil else {
            throw TokenError.malformed("header \"alg\" is \(alg.typeNameWithArticle), not a string")
        }
        for name in ["kid", "typ", "cty"] {
            if let value = header[name], value.stringValue == nil {
                throw TokenError.malformed("header \"\(name)\" is \(value.typeNameWithArticle), not a string")
            }
        }
        let entry = HeaderCache.Entry(segment: segment, json: headerBytes, header: header)
        HeaderCache.shared.store(entry)
        return entry
    }

    /// The scheme of an `Authorization` value such as `Basic dXNlcjpwYXNz` (a word of letters,
    /// a space, then credentials) when it is not one that carries a JWT; `nil` otherwise.
    private static func otherAuthorizationScheme(_ text: String) -> String? {
        guard let space = text.utf8.prefix(21).firstIndex(of: UInt8(ascii: " ")) else { return nil }
        let scheme = text[..<space]
        guard !scheme.isEmpty, scheme.utf8.allSatisfy({ ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") }),
            !TokenExtractor.authorizationSchemes.contains(scheme.lowercased()),
            text[space...].contains(where: { !$0.isWhitespace })
        else { return nil }
        return String(scheme)
    }

    private static func decodeSegment(_ segment: Substring, name: String) throws -> [UInt8] {
        do {
            return try Base64URL.decode(segment)
        } catch let error as TokenError {
            throw TokenError.malformed("\(name) segment: \(error.reason)")
        }
    }

    /// The base64url text of the header, as received.
    public var headerSegment: Substring { text[text.startIndex..<firstDot] }
    /// The base64url text of the payload, as received.
    public var payloadSegment: Substring { text[text.index(after: firstDot)..<secondDot] }
    /// The base64url text of the signature, as received.
    public var signatureSegment: Substring { text[text.index(after: secondDot)...] }

    /// The length of ``headerSegment`` in bytes (base64url is ASCII), read from the dots'
    /// offsets without slicing the text (a slice rounds its bounds to characters).
    public var headerSegmentLength: Int { text.utf8.distance(from: text.utf8.startIndex, to: firstDot) }
    /// The length of ``payloadSegment`` in bytes.
    public var payloadSegmentLength: Int { text.utf8.distance(from: firstDot, to: secondDot) - 1 }
    /// The length of ``signatureSegment`` in bytes.
    public var signatureSegmentLength: Int { text.utf8.distance(from: secondDot, to: text.utf8.endIndex) - 1 }

    /// The bytes the signature covers: `header.payload` exactly as received (RFC 7515 §5.2),
    /// never re-serialized.
    public var signingInput: [UInt8] {
        let input = text.utf8[text.startIndex..<secondDot]
        return input.withContiguousStorageIfAvailable { Array($0) } ?? Array(input)
    }

    /// Lends ``signingInput`` in place, without copying it.
    func withSigningInput<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        let input = text.utf8[text.startIndex..<secondDot]
        if let result = try input.withContiguousStorageIfAvailable({ try body(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return try signingInput.withUnsafeBytes(body)
    }

    /// The header's `alg` text (not validated; may be `none` or unknown).
    public var algorithmName: String { headerEntry.algorithmName }
    /// The header's `kid`, when present.
    public var keyID: String? { headerEntry.keyID }
    /// Whether the header has `crit` or `b64` (see ``HeaderPolicy``).
    var hasCriticalParameters: Bool { headerEntry.hasCriticalParameters }
    /// Whether the header has `jwk`, `jku`, `x5u` or `x5c` (``HeaderPolicy/keyCarryingParameters``).
    var hasKeyCarryingParameters: Bool { headerEntry.hasKeyCarryingParameters }

    /// Appends the compact JSON text of ``header`` to `out` (``JSONValue/serialized``): the
    /// header as received when it is already compact, else the header serialized.
    public func serializeHeader(to out: inout ByteWriter) { headerEntry.serialize(to: &out) }

    /// ``header`` indented for people, as ``JSONValue/prettyPrinted(indent:)`` writes it.
    public var prettyPrintedHeader: String { headerEntry.prettyPrinted }
}
