/// A validating single pass over a JWT payload that finds the registered claims in place,
/// without building a ``JSONValue`` tree and without a heap allocation.
///
/// It accepts only text that ``JSONParser/parseObject(_:what:code:)`` accepts (RFC 8259
/// grammar, valid UTF-8 with no encoded surrogates, no lone surrogate escapes, no duplicate
/// member names at any depth, nesting at most ``JSONParser/defaultMaxDepth``), and only when
/// the text is also its own compact serialization (``JSONValue/isCompactSerialization(_:)``).
/// Anything else, and anything it does not handle itself (a member name with an escape, more
/// than ``nameCapacity`` member names open at once), gives `nil`: the caller then parses the
/// payload with ``JSONParser``, which accepts or rejects it and names the problem. So the
/// scanner never decides a rejection; `JSONClaimScannerTests` checks that it agrees with the
/// parser over generated and mutated payloads.
struct JSONClaimScanner {
    /// What a registered claim's value is, as far as reading it in place needs.
    enum Kind: Equatable {
        /// A string without escapes: its bytes are its UTF-8 text.
        case string
        /// A number (valid per the grammar).
        case number
        /// An array whose elements are all strings without escapes.
        case stringArray
        /// Anything else (object, literal, string with escapes, other array).
        case other
    }

    /// Where a registered claim's value is in the payload (offsets kept small: a payload
    /// is bounded by the token size limit, far below 2 GiB).
    struct Span {
        private let first: Int32
        private let past: Int32
        /// The value's kind.
        let kind: Kind

        init(start: Int, end: Int, kind: Kind) {
            first = Int32(truncatingIfNeeded: start)
            past = Int32(truncatingIfNeeded: end)
            self.kind = kind
        }

        /// Offset of the value's first byte.
        var start: Int { Int(first) }
        /// Offset just past the value's last byte.
        var end: Int { Int(past) }
    }

    /// The registered claims found, each `nil` when absent.
    struct Claims {
        var iss, sub, aud, exp, nbf, iat, jti: Span?
    }

    /// The most member names (of all objects open at once) whose duplicates are checked in
    /// place; a payload with more is left to the parser. Their offsets, as 32-bit pairs, take
    /// 1 KiB: on the stack (`withUnsafeTemporaryAllocation` goes to the heap above 1 KiB, which
    /// 64-bit offsets did, an allocation a token).
    static let nameCapacity = 128

    /// Scans `bytes` as a JWT payload.
    ///
    /// - Returns: the registered claims' places, or `nil` when the payload is not a compact
    ///   JSON object this scanner can vouch for (the caller then uses ``JSONParser``).
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Claims? {
        guard bytes.count < Int(Int32.max) else { return nil }
        return withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * nameCapacity) { names in
            var scanner = JSONClaimScanner(bytes: bytes, names: names)
            guard scanner.bytes.count > 0, scanner.bytes[0] == UInt8(ascii: "{"),
                scanner.object(depth: 1, top: true), scanner.position == scanner.bytes.count
            else { return nil }
            return scanner.claims
        }
    }

    /// Scans `bytes` as ``scan(_:)`` does and lends `body` the top-level members' spans, in
    /// order (as ``JSONParser/parseDocument(_:recordingMembers:maxDepth:)`` notes them).
    ///
    /// - Returns: `body`'s result, or `nil` without calling it when the payload is not a
    ///   compact JSON object this scanner can vouch for, or has more than `maxMembers` members.
    static func scanMembers<Result>(
        _ bytes: UnsafeBufferPointer<UInt8>, maxMembers: Int,
        _ body: (UnsafeBufferPointer<JSONParser.MemberSpan>) -> Result
    ) -> Result? {
        withUnsafeTemporaryAllocation(of: JSONParser.MemberSpan.self, capacity: maxMembers) { spans in
            guard bytes.count < Int(Int32.max) else { return nil }
            let count = withUnsafeTemporaryAllocation(of: Int32.self, capacity: 2 * nameCapacity) { names -> Int? in
                var scanner = JSONClaimScanner(bytes: bytes, names: names)
                scanner.members = spans
                guard scanner.bytes.count > 0, scanner.bytes[0] == UInt8(ascii: "{"),
                    scanner.object(depth: 1, top: true), scanner.position == scanner.bytes.count
                else { return nil }
                return scanner.memberCount
            }
            guard let count else { return nil }
            return body(UnsafeBufferPointer(rebasing: spans[..<count]))
        }
    }

    private let bytes: UnsafeBufferPointer<UInt8>
    /// Where ``scanMembers(_:maxMembers:_:)`` notes the top-level members (empty for ``scan(_:)``).
    private var members = UnsafeMutableBufferPointer<JSONParser.MemberSpan>(start: nil, count: 0)
    private var memberCount = 0
    /// Member names of the open objects, as (start, end) offset pairs (offsets fit: ``scan(_:)``
    /// takes fewer than `Int32.max` bytes).
    private let names: UnsafeMutableBufferPointer<Int32>
    private var nameCount = 0
    private var position = 0
    private var claims = Claims()

    private init(bytes: UnsafeBufferPointer<UInt8>, names: UnsafeMutableBufferPointer<Int32>) {
        self.bytes = bytes
        self.names = names
    }

    /// A value at `position`; whitespace anywhere makes the text not compact, so none is skipped.
    private mutating func value(depth: Int) -> Bool {
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "{"): return object(depth: depth + 1, top: false)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "\""): return string() == .plain
        case UInt8(ascii: "t"): return literal(0x74, 0x72, 0x75, 0x65, count: 4)  // true
        case UInt8(ascii: "f"): return literal(0x66, 0x61, 0x6C, 0x73, count: 5)  // false (then 0x65)
        case UInt8(ascii: "n"): return literal(0x6E, 0x75, 0x6C, 0x6C, count: 4)  // null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    /// `true`, `null` (four bytes) or `false` (five, the fifth `e`).
    private mutating func literal(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8, count: Int) -> Bool {
        guard position + count <= bytes.count, bytes[position] == b0, bytes[position + 1] == b1,
            bytes[position + 2] == b2, bytes[position + 3] == b3,
            count == 4 || bytes[position + 4] == UInt8(ascii: "e")
        else { return false }
        position += count
        return true
    }

    private mutating func object(depth: Int, top: Bool) -> Bool {
        if depth > JSONParser.defaultMaxDepth { return false }
        position += 1
        guard position < bytes.count else { return false }
        if bytes[position] == UInt8(ascii: "}") {
            position += 1
            return true
        }
        let firstName = nameCount
        defer { nameCount = firstName }
        // A bit for each name of this object (``nameBit(_:_:in:)``): a name whose bit is not
        // yet set is new without comparing it with the others.
        var namesSeen: UInt64 = 0
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return false }
            let nameStart = position + 1
            guard string() == .plain else { return false }  // escaped names are left to the parser
            let nameEnd = position - 1
            let bit = Self.nameBit(nameStart, nameEnd, in: bytes)
            if namesSeen & bit != 0 {
                guard Self.isNewName(nameStart, nameEnd, in: bytes, among: names, from: firstName, to: nameCount) else {
                    return false
                }
            }
            namesSeen |= bit
            guard nameCount < Self.nameCapacity else { return false }
            names[2 * nameCount] = Int32(truncatingIfNeeded: nameStart)
            names[2 * nameCount + 1] = Int32(truncatingIfNeeded: nameEnd)
            nameCount += 1
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
            position += 1
            let valueStart = position
            guard value(depth: depth) else { return false }
            if top {
                if nameEnd - nameStart == 3 { record(nameStart, valueStart) }
                if members.baseAddress != nil {
                    guard memberCount < members.count else { return false }
                    // The name's span with its quotes, as the parser notes it.
                    members[memberCount] = JSONParser.MemberSpan(name: (nameStart - 1)..<(nameEnd + 1), valueEnd: position)
                    memberCount += 1
                }
            }
            guard position < bytes.count else { return false }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return true
            } else {
                return false
            }
        }
    }

    /// One of 64 bits for the name at `start..<end`, from its length and its first, second and
    /// last bytes: equal names have the same bit. (The multiplier spreads the usual claim
    /// names, `sub` to `jti` and `roles`, over different bits.)
    private static func nameBit(_ start: Int, _ end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let length = end - start
        var key = UInt32(truncatingIfNeeded: length) << 24
        if length > 0 {
            key |= UInt32(bytes[start]) | UInt32(bytes[end - 1]) << 16
            if length > 1 { key |= UInt32(bytes[start + 1]) << 8 }
        }
        return 1 << UInt64((key &* 0x27D4_EB2F) >> 26)
    }

    /// Whether the name at `start..<end` differs, byte for byte, from every name of the
    /// current object (those from index `first` to `count`). Static, as are ``span(_:_:in:)``
    /// and ``kind(_:in:)``: a method on the scanner took a copy of it (129 bytes, `memcpy`)
    /// at every call.
    private static func isNewName(
        _ start: Int, _ end: Int, in bytes: UnsafeBufferPointer<UInt8>, among names: UnsafeMutableBufferPointer<Int32>,
        from first: Int, to count: Int
    ) -> Bool {
        let length = end - start
        var index = first
        while index < count {
            let otherStart = Int(names[2 * index])
            if Int(names[2 * index + 1]) - otherStart == length {
                var offset = 0
                while offset < length, bytes[start + offset] == bytes[otherStart + offset] { offset += 1 }
                if offset == length { return false }
            }
            index += 1
        }
        return true
    }

    /// Notes a top-level member with a three-byte name when it is a registered claim.
    private mutating func record(_ nameStart: Int, _ valueStart: Int) {
        let key = UInt32(bytes[nameStart]) << 16 | UInt32(bytes[nameStart + 1]) << 8 | UInt32(bytes[nameStart + 2])
        switch key {
        case 0x69_73_73: claims.iss = Self.span(valueStart, position, in: bytes)  // iss
        case 0x73_75_62: claims.sub = Self.span(valueStart, position, in: bytes)  // sub
        case 0x61_75_64: claims.aud = Self.span(valueStart, position, in: bytes)  // aud
        case 0x65_78_70: claims.exp = Self.span(valueStart, position, in: bytes)  // exp
        case 0x6E_62_66: claims.nbf = Self.span(valueStart, position, in: bytes)  // nbf
        case 0x69_61_74: claims.iat = Self.span(valueStart, position, in: bytes)  // iat
        case 0x6A_74_69: claims.jti = Self.span(valueStart, position, in: bytes)  // jti
        default: break
        }
    }

    /// The span of the value just scanned, from `start` to `end`.
    private static func span(_ start: Int, _ end: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Span {
        Span(start: start, end: end, kind: kind(start, in: bytes))
    }

    /// The kind of the valid, compact value that starts at `start`. (A compact text holds no
    /// backslash, so every string in it is written without escapes.)
    private static func kind(_ start: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Kind {
        switch bytes[start] {
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "["):
            // Elements: strings (a quote right after `[` or `,`), else another kind.
            var index = start + 1
            if bytes[index] == UInt8(ascii: "]") { return .stringArray }
            while true {
                guard bytes[index] == UInt8(ascii: "\"") else { return .other }
                index += 1
                while bytes[index] != UInt8(ascii: "\"") { index += 1 }
                index += 1
                if bytes[index] == UInt8(ascii: "]") { return .stringArray }
                index += 1  // the comma
            }
        default: return .other
        }
    }

    private mutating func array(depth: Int) -> Bool {
        if depth > JSONParser.defaultMaxDepth { return false }
        position += 1
        guard position < bytes.count else { return false }
        if bytes[position] == UInt8(ascii: "]") {
            position += 1
            return true
        }
        while true {
            guard value(depth: depth), position < bytes.count else { return false }
            if bytes[position] == UInt8(ascii: ",") {
                position += 1
            } else if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return true
            } else {
                return false
            }
        }
    }


    /// A number, by the grammar ``JSONParser`` applies.
    @inline(__always)
    private mutating func number() -> Bool {
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        guard position < bytes.count, JSONDigitRun.isDigit(bytes[position]) else { return false }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
            if position < bytes.count, JSONDigitRun.isDigit(bytes[position]) { return false }
        } else {
            position = JSONDigitRun.end(in: bytes, from: position)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count, JSONDigitRun.isDigit(bytes[position]) else { return false }
            position = JSONDigitRun.end(in: bytes, from: position)
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
            }
            guard position < bytes.count, JSONDigitRun.isDigit(bytes[position]) else { return false }
            position = JSONDigitRun.end(in: bytes, from: position)
        }
        return true
    }

    private enum StringScan { case plain, unusable }

    /// A string at `position` (its opening quote): `.plain` when it is valid and holds no
    /// escape (a backslash makes the text not compact), `.unusable` otherwise.
    @inline(__always)
    private mutating func string() -> StringScan {
        // A local index past each run of plain ASCII; `position` follows at the end.
        var index = JSONStringRun.end(in: bytes, from: position + 1)
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return .plain
            }
            if byte < 0x80 { return .unusable }  // a backslash or a control character
            position = index
            guard utf8Sequence() else { return .unusable }
            index = JSONStringRun.end(in: bytes, from: position)
        }
        return .unusable
    }

    /// One multi-byte UTF-8 sequence, rejecting overlong forms, surrogates and values above
    /// U+10FFFF, as ``JSONParser`` does.
    private mutating func utf8Sequence() -> Bool {
        let lead = bytes[position]
        let length: Int
        var value: UInt32
        let lowerBound: UInt32
        switch lead {
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F); lowerBound = 0x80
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F); lowerBound = 0x800
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07); lowerBound = 0x10000
        default: return false
        }
        guard position + length <= bytes.count else { return false }
        for offset in 1..<length {
            let byte = bytes[position + offset]
            guard byte & 0xC0 == 0x80 else { return false }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        guard value >= lowerBound, value <= 0x10FFFF, !(0xD800...0xDFFF).contains(value) else { return false }
        position += length
        return true
    }
}
