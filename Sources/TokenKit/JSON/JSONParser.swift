/// A strict RFC 8259 JSON parser.
///
/// Beyond the grammar it rejects what makes one JSON text mean two things to two readers:
/// duplicate member names, invalid UTF-8 (including encoded surrogates), lone surrogate
/// escapes, and nesting deeper than a bound. It keeps member order and number text.
public struct JSONParser {
    /// The default nesting bound, shared with the rest of TokenKit (design: "Bounds").
    public static let defaultMaxDepth = 64
    /// The most members one object may have (design: "Bounds"); more is malformed.
    public static let maxObjectMembers = 100_000

    /// Parses one JSON text, allowing surrounding whitespace only.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - maxDepth: the deepest nesting of arrays and objects allowed.
    /// - Throws: ``TokenError/Code/malformedJSON`` naming the problem and its byte offset.
    public static func parse<Bytes: Collection>(
        _ bytes: Bytes, maxDepth: Int = defaultMaxDepth
    ) throws -> JSONValue where Bytes.Element == UInt8 {
        try parseDocument(Array(bytes), maxDepth: maxDepth).value
    }

    /// Where one member of an object is in its JSON text: its name, quotes included, and the
    /// offset just past its value.
    struct MemberSpan: Equatable, Sendable {
        var name: Range<Int>
        var valueEnd: Int
    }

    /// A JSON text parsed, with what its renderers and its size report want of its bytes,
    /// noted while parsing instead of by a second scan.
    struct Document {
        /// The value.
        var value: JSONValue
        /// Whether the text is its own compact serialization, as
        /// ``JSONValue/isCompactSerialization(_:)`` decides it (no backslash, no whitespace
        /// outside strings): a renderer then copies it as received.
        var isCompact: Bool
        /// The top-level object's members, in order, when asked for (else empty).
        var memberSpans: [MemberSpan]
    }

    /// Parses one JSON text as ``parse(_:maxDepth:)`` does, noting the ``Document`` facts;
    /// the members' spans when `recordingMembers`.
    ///
    /// - Throws: ``TokenError/Code/malformedJSON`` naming the problem and its byte offset.
    static func parseDocument(_ bytes: [UInt8], recordingMembers: Bool = false, maxDepth: Int = defaultMaxDepth) throws -> Document {
        // The parser reads the bytes through a pointer, without a bounds check on every read
        // (every index is checked against the count first).
        try bytes.withUnsafeBufferPointer { try parseDocument(buffer: $0, recordingMembers: recordingMembers, maxDepth: maxDepth) }
    }

    /// ``parseDocument(_:recordingMembers:maxDepth:)`` of bytes lent in place (a part of a
    /// larger text, without copying it out).
    static func parseDocument(
        buffer: UnsafeBufferPointer<UInt8>, recordingMembers: Bool = false, maxDepth: Int = defaultMaxDepth
    ) throws -> Document {
        var parser = JSONParser(bytes: buffer, maxDepth: maxDepth)
        if recordingMembers { parser.memberSpans = [] }
        parser.skipWhitespace()
        let value = try parser.parseValue(depth: 0)
        parser.skipWhitespace()
        if parser.position != parser.bytes.count {
            throw parser.error("unexpected data after the JSON value")
        }
        return Document(value: value, isCompact: parser.isCompact, memberSpans: parser.memberSpans ?? [])
    }

    /// Parses a JSON text from a string.
    ///
    /// - Throws: ``TokenError/Code/malformedJSON``.
    public static func parse(_ text: String, maxDepth: Int = defaultMaxDepth) throws -> JSONValue {
        try parse(Array(text.utf8), maxDepth: maxDepth)
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    private let maxDepth: Int
    private var position = 0
    /// No whitespace skipped and no escape read so far.
    private var isCompact = true
    /// The top-level object's members found so far; `nil` when not recorded.
    private var memberSpans: [MemberSpan]?

    private init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    private func error(_ message: String) -> TokenError {
        TokenError(.malformedJSON, "invalid JSON at byte \(position): \(message)")
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D:
                position += 1
                isCompact = false
            default: return
            }
        }
    }

    private mutating func parseValue(depth: Int) throws -> JSONValue {
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object(try parseObject(depth: depth + 1))
        case UInt8(ascii: "["): return .array(try parseArray(depth: depth + 1))
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw error("unexpected character \(describe(bytes[position]))")
        }
    }

    private mutating func expectLiteral(_ literal: String) throws {
        let expected = Array(literal.utf8)
        let count = expected.count
        guard position + count <= bytes.count, bytes[position..<position + count].elementsEqual(expected) else {
            throw error("invalid literal (expected \(literal))")
        }
        position += count
    }

    private mutating func parseObject(depth: Int) throws -> JSONObject {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
        position += 1
        var object = JSONObject()
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return object
        }
        // Names compare as UTF-8 bytes, not by Unicode equivalence. While every name so far
        // is short and plain (``shortPlainString()``), each is compared packed, two integers;
        // otherwise by a linear scan for the few members of a usual object, a set of byte
        // strings beyond that.
        return try withUnsafeTemporaryAllocation(of: PackedName.self, capacity: Self.smallObjectMembers) { packedNames in
            var allPacked = true
            var seen: Set<[UInt8]>?
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("expected a member name in double quotes")
                }
                let nameStart = position
                let name: String
                let duplicate: Bool
                if allPacked, object.count < Self.smallObjectMembers, let (packed, text) = shortPlainString() {
                    name = WellKnownNames.string(for: packed) ?? String(utf8Bytes: text)
                    duplicate = packedNames[..<object.count].contains(packed)
                    packedNames[object.count] = packed
                } else {
                    allPacked = false
                    name = try parseString()
                    if seen != nil {
                        duplicate = !seen!.insert(Array(name.utf8)).inserted
                    } else if object.count < Self.smallObjectMembers {
                        duplicate = object.contains(name)
                    } else {
                        seen = Set(object.members.map { Array($0.name.utf8) })
                        duplicate = !seen!.insert(Array(name.utf8)).inserted
                    }
                }
                let nameEnd = position
                if duplicate {
                    throw error("duplicate member name \"\(name)\"")
                }
                if object.count >= Self.maxObjectMembers { throw error("more than \(Self.maxObjectMembers) members in one object") }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("expected ':' after member name")
                }
                position += 1
                skipWhitespace()
                let value = try parseValue(depth: depth)
                if depth == 1, memberSpans != nil {  // the top-level object
                    if memberSpans!.isEmpty { memberSpans!.reserveCapacity(8) }
                    memberSpans!.append(MemberSpan(name: nameStart..<nameEnd, valueEnd: position))
                }
                if object.isEmpty { object.reserveCapacity(8) }  // one allocation for a usual claim set
                object.appendUnchecked(name, value)
                skipWhitespace()
                guard position < bytes.count else { throw error("unterminated object") }
                if bytes[position] == UInt8(ascii: ",") {
                    position += 1
                } else if bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    return object
                } else {
                    throw error("expected ',' or '}' in object")
                }
            }
        }
    }

    private mutating func parseArray(depth: Int) throws -> [JSONValue] {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth) levels") }
        position += 1
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return elements
        }
        // Room for a usual claim's few roles or scopes at once: one allocation, where growing
        // from empty took one for the first element and another for the second.
        elements.reserveCapacity(4)
        while true {
            skipWhitespace()
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else { throw error("unterminated array") }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return elements
            } else {
                throw error("expected ',' or ']' in array")
            }
        }
    }

    private mutating func parseNumber() throws -> JSONNumber {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, JSONDigitRun.isDigit(bytes[position]) else { throw error("invalid number") }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, JSONDigitRun.isDigit(bytes[position]) { throw error("number with a leading zero") }
        } else {
            position = JSONDigitRun.end(in: bytes, from: position)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, JSONDigitRun.isDigit(bytes[position]) else { throw error("digit expected after '.'") }
            position = JSONDigitRun.end(in: bytes, from: position)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, JSONDigitRun.isDigit(bytes[position]) else { throw error("digit expected in exponent") }
            position = JSONDigitRun.end(in: bytes, from: position)
        }
        return JSONNumber(validatedText: String(utf8Bytes: UnsafeBufferPointer(rebasing: bytes[start..<position])))
    }


    /// Reads a string, copying each run of unescaped text in one piece (after validating
    /// its UTF-8) and decoding escapes one by one.
    private mutating func parseString() throws -> String {
        position += 1
        var result = ""
        var runStart = position
        while true {
            position = JSONStringRun.end(in: bytes, from: position)
            guard position < bytes.count else { throw error("unterminated string") }
            switch bytes[position] {
            case UInt8(ascii: "\""):
                let run = UnsafeBufferPointer(rebasing: bytes[runStart..<position])
                position += 1
                // Without escapes (most strings) the run is the string: no concatenation.
                if result.isEmpty { return String(utf8Bytes: run) }
                result += String(decoding: run, as: UTF8.self)
                return result
            case UInt8(ascii: "\\"):
                isCompact = false
                result += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
                position += 1
                result.unicodeScalars.append(try parseEscape())
                runStart = position
            case 0x00..<0x20:
                throw error("unescaped control character in string")
            case 0x20..<0x80:
                position += 1
            default:
                _ = try parseUTF8Sequence()
            }
        }
    }

    /// The members of a usual claim set or header, at most: up to this many, an object's names
    /// are compared one by one (packed while they are short and plain); beyond it, through a set.
    private static let smallObjectMembers = 16

    /// A string at `position` (its opening quote) of at most ``PackedName/maxByteCount`` plain
    /// characters (``JSONStringRun``: printable ASCII, no escape), packed, with its text; the
    /// parser is then past its closing quote. `nil`, the parser unmoved, for any other string,
    /// which ``parseString()`` reads (and rejects when invalid).
    private mutating func shortPlainString() -> (PackedName, UnsafeBufferPointer<UInt8>)? {
        let start = position + 1
        let end = JSONStringRun.end(in: bytes, from: start)
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""), let packed = PackedName(UnsafeBufferPointer(rebasing: bytes[start..<end]))
        else { return nil }
        position = end + 1
        return (packed, UnsafeBufferPointer(rebasing: bytes[start..<end]))
    }

    private mutating func parseEscape() throws -> Unicode.Scalar {
        guard position < bytes.count else { throw error("unterminated escape") }
        let byte = bytes[position]
        position += 1
        switch byte {
        case UInt8(ascii: "\""): return "\""
        case UInt8(ascii: "\\"): return "\\"
        case UInt8(ascii: "/"): return "/"
        case UInt8(ascii: "b"): return "\u{08}"
        case UInt8(ascii: "f"): return "\u{0C}"
        case UInt8(ascii: "n"): return "\n"
        case UInt8(ascii: "r"): return "\r"
        case UInt8(ascii: "t"): return "\t"
        case UInt8(ascii: "u"):
            let first = try parseHex4()
            if (0xD800...0xDBFF).contains(first) {
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"),
                    bytes[position + 1] == UInt8(ascii: "u")
                else { throw error("lone high surrogate escape") }
                position += 2
                let second = try parseHex4()
                guard (0xDC00...0xDFFF).contains(second) else { throw error("invalid surrogate pair escape") }
                let value = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
                return Unicode.Scalar(value)!
            }
            if (0xDC00...0xDFFF).contains(first) { throw error("lone low surrogate escape") }
            return Unicode.Scalar(first)!
        default:
            throw error("invalid escape '\\\(describe(byte))'")
        }
    }

    private mutating func parseHex4() throws -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("truncated \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[position]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid hex digit in \\u escape")
            }
            value = value << 4 | digit
            position += 1
        }
        return value
    }

    /// Decodes one multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and
    /// values above U+10FFFF.
    private mutating func parseUTF8Sequence() throws -> Unicode.Scalar {
        let lead = bytes[position]
        let length: Int
        var value: UInt32
        var lowerBound: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F); lowerBound = 0x80
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F); lowerBound = 0x800
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07); lowerBound = 0x10000
        default: throw error("invalid UTF-8")
        }
        guard position + length <= bytes.count else { throw error("truncated UTF-8 sequence") }
        for offset in 1..<length {
            let byte = bytes[position + offset]
            guard byte & 0xC0 == 0x80 else { throw error("invalid UTF-8") }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= lowerBound, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value),
            let scalar = Unicode.Scalar(value)
        else { throw error("invalid UTF-8") }
        position += length
        return scalar
    }

    private func describe(_ byte: UInt8) -> String {
        (0x21...0x7E).contains(byte) ? "'\(Character(Unicode.Scalar(byte)))'" : "0x" + String(byte, radix: 16)
    }
}

extension JSONParser {
    /// Parses JSON text that must be an object, reporting every problem as one error.
    ///
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - what: what the text is, for the message ("header", "claim-set file 'a.json'").
    ///   - code: the error code to report (`malformed` for a token's parts, `malformed_json`
    ///     for configuration, `malformed_key` for key files).
    /// - Throws: `TokenError(code)`: "<what> is not valid JSON: ..." or "<what> is a JSON array, not an object".
    public static func parseObject(_ bytes: [UInt8], what: String, code: TokenError.Code) throws -> JSONObject {
        try parseObjectDocument(bytes, what: what, code: code).object
    }

    /// ``parseObject(_:what:code:)`` with the ``Document`` facts: the object, whether its
    /// text is compact, and (when `recordingMembers`) its members' spans.
    ///
    /// - Throws: as ``parseObject(_:what:code:)``.
    static func parseObjectDocument(
        _ bytes: [UInt8], what: String, code: TokenError.Code, recordingMembers: Bool = false
    ) throws -> (object: JSONObject, isCompact: Bool, memberSpans: [MemberSpan]) {
        let document: Document
        do {
            document = try parseDocument(bytes, recordingMembers: recordingMembers)
        } catch let error as TokenError {
            throw TokenError(code, "\(what) is not valid JSON: \(error.reason)")
        }
        guard case .object(let object) = document.value else {
            throw TokenError(code, "\(what) is a JSON \(document.value.typeName), not an object")
        }
        return (object, document.isCompact, document.memberSpans)
    }
}
