import Testing
@testable import TokenKit

/// The in-place claim scanner (``JSONClaimScanner``) agrees with the strict parser: it accepts
/// exactly the compact JSON objects the parser accepts, and the registered claims it reads are
/// the values the parser gives. Checked over generated payloads and many mutations of them.
@Suite("Issue 12 in-place claim scanner")
struct Issue12ClaimScannerTests {
    /// A small deterministic generator (xorshift), so that a failure is reproducible.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let strings = [
        "", "a", "user-12345", "https://issuer.example.com", "tokenctl-bench", "é", "日本", "😀", "\u{2028}",
        "with space", "quote\"inside", "back\\slash", "tab\there", "nul\u{0}", "\u{7F}", "aud", "exp",
    ]
    static let numbers = [
        "0", "-0", "1", "1827623463", "-1", "1.5", "1e3", "1E+2", "2e-1", "9223372036854775807",
        "9223372036854775808", "-9223372036854775809", "1e400", "253402300799", "253402300800", "0.0000001",
    ]
    static let names = [
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "roles", "x", "é", "a b", "ex", "expp", "\u{0}", "",
        "eightchr", "ninechars", "permissions_of_the_user", "日本語",
    ]

    static func value(_ generator: inout Generator, depth: Int) -> JSONValue {
        switch generator.below(depth > 3 ? 4 : 7) {
        case 0: return .string(generator.pick(strings))
        case 1: return .number(JSONNumber(validatedText: generator.pick(numbers)))
        case 2: return generator.pick([.null, .bool(true), .bool(false)])
        case 3: return .string(generator.pick(strings) + generator.pick(strings))
        case 4:
            return .array((0..<generator.below(4)).map { _ in
                generator.below(3) == 0 ? value(&generator, depth: depth + 1) : .string(generator.pick(strings))
            })
        default: return .object(object(&generator, depth: depth + 1))
        }
    }

    static func object(_ generator: inout Generator, depth: Int) -> JSONObject {
        var object = JSONObject()
        for _ in 0..<generator.below(depth == 0 ? 10 : 4) {
            let name = generator.pick(names)
            if !object.contains(name) { object[name] = value(&generator, depth: depth) }
        }
        return object
    }

    /// Bytes that make interesting mutations: JSON structure, whitespace, escapes, bad UTF-8.
    static let mutationBytes: [[UInt8]] = [
        [0x22], [0x5C], [0x7B], [0x7D], [0x5B], [0x5D], [0x3A], [0x2C], [0x20], [0x0A], [0x09], [0x00], [0x1F],
        [0x2D], [0x30], [0x2E], [0x65], [0x2B], [0x74], [0x6E], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
        [0xC3], [0xE2, 0x82], [0x80], [0xFF], [0xC3, 0xA9], [0xF0, 0x9F, 0x98, 0x80], Array(#"\u0041"#.utf8),
        Array(#"\ud800"#.utf8), Array(#","exp":1"#.utf8), Array(#","aud":["a"]"#.utf8), Array(#""iss":"x","#.utf8),
        Array(#","eightchr":1"#.utf8), Array(#","ninechars":1"#.utf8), Array(#""permissions_of_the_user":0,"#.utf8),
    ]

    static func mutate(_ bytes: [UInt8], _ generator: inout Generator) -> [UInt8] {
        var bytes = bytes
        for _ in 0...generator.below(2) {
            let at = bytes.isEmpty ? 0 : generator.below(bytes.count + 1)
            switch generator.below(5) {
            case 0 where !bytes.isEmpty && at < bytes.count: bytes.remove(at: at)
            case 1 where at < bytes.count: bytes[at] = generator.pick(mutationBytes)[0]
            case 2: bytes = Array(bytes.prefix(at))
            default: bytes.insert(contentsOf: generator.pick(mutationBytes), at: at)
            }
        }
        return bytes
    }

    /// What the parser makes of a payload, the way the verifier uses it: the registered
    /// claims, or `nil` when it is not a compact JSON object the parser accepts.
    static func parsed(_ bytes: [UInt8]) -> JWTClaims.Registered? {
        guard let object = try? JSONParser.parseObject(bytes, what: "payload", code: .malformed),
            bytes.withUnsafeBytes(JSONValue.isCompactSerialization)
        else { return nil }
        return JWTClaims(object).registered
    }

    static func fields(_ registered: JWTClaims.Registered) -> [JSONValue?] {
        [registered.iss, registered.sub, registered.aud, registered.exp, registered.nbf, registered.iat, registered.jti]
    }

    /// What ``JWTClaims/Registered/checkTypes(rounding:)`` gives: the NumericDates, or the error's text.
    static func typeCheck(_ registered: JWTClaims.Registered, _ rounding: FloatingPointRoundingRule) -> String {
        do {
            let dates = try registered.checkTypes(rounding: rounding)
            return "\(dates.exp as Any) \(dates.nbf as Any) \(dates.iat as Any)"
        } catch {
            return "\(error)"
        }
    }

    /// Checks one payload: the scanner accepts exactly when the parser accepts a compact
    /// object, and the registered claims read in place (when the scanner can give them all)
    /// equal the parser's.
    static func expectAgreement(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let scanned = bytes.withUnsafeBufferPointer(JSONClaimScanner.scan)
        let reference = parsed(bytes)
        let shown = String(decoding: bytes, as: UTF8.self)
        #expect((scanned != nil) == (reference != nil), "accept/reject differs on \(bytes) \(shown)", sourceLocation: sourceLocation)
        // The parser notes compactness (decode copies such a payload as received) as
        // isCompactSerialization finds it by its own scan.
        if let noted = try? JSONParser.parseDocument(bytes) {
            #expect(
                noted.isCompact == bytes.withUnsafeBytes(JSONValue.isCompactSerialization), "compactness differs on \(shown)",
                sourceLocation: sourceLocation)
        }
        guard let reference else { return }
        bytes.withUnsafeBufferPointer { buffer in
            let inPlace = JWTClaims.Registered(inPlace: buffer)
            let supported = fields(reference).allSatisfy { value in
                switch value {
                case nil, .string?, .number?: return true
                case .array(let elements)?: return elements.allSatisfy { if case .string = $0 { return true } else { return false } }
                default: return false
                }
            }
            #expect((inPlace != nil) == supported, "in-place claims offered differently on \(shown)", sourceLocation: sourceLocation)
            if let inPlace {
                #expect(fields(inPlace) == fields(reference), "claims differ on \(shown)", sourceLocation: sourceLocation)
                // The type checks, which skip making values read in place, decide as on the parsed claims.
                for rounding in [FloatingPointRoundingRule.up, .down] {
                    #expect(
                        typeCheck(inPlace, rounding) == typeCheck(reference, rounding), "type checks differ on \(shown)",
                        sourceLocation: sourceLocation)
                }
            }
        }
    }

    @Test("accepts and reads exactly what the parser does, over generated and mutated payloads")
    func generatedAndMutated() {
        var generator = Generator(state: 0x9E37_79B9_7F4A_7C15)
        var accepted = 0
        for _ in 0..<3000 {
            let object = Self.object(&generator, depth: 0)
            let compact = JSONValue.object(object).serializedBytes
            Self.expectAgreement(compact)
            if compact.withUnsafeBytes(JSONValue.isCompactSerialization) { accepted += 1 }
            Self.expectAgreement(Array(JSONValue.object(object).prettyPrinted().utf8))
            for _ in 0..<8 { Self.expectAgreement(Self.mutate(compact, &generator)) }
        }
        #expect(accepted > 500)  // most generated payloads are compact, so the fast path is exercised
    }

    /// Checks the parser's member spans of an object text: removing a member's span (as
    /// ``ClaimCost`` counts it) leaves valid JSON holding every other member.
    static func expectSpansRemoveMembers(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        guard let parsed = try? JSONParser.parseObjectDocument(bytes, what: "t", code: .malformed, recordingMembers: true) else { return }
        let spans = parsed.memberSpans
        #expect(spans.count == parsed.object.count, sourceLocation: sourceLocation)
        for index in spans.indices where spans.count == parsed.object.count {
            var rest = bytes
            rest.removeSubrange(ClaimCost.removal(ofMember: index, spans: spans))
            var expected = parsed.object
            expected[parsed.object.names[index]] = nil
            #expect(
                (try? JSONParser.parse(rest))?.objectValue == expected, "\(String(decoding: bytes, as: UTF8.self)) without member \(index)",
                sourceLocation: sourceLocation)
        }
    }

    @Test("the parser's member spans cover each member exactly, over generated and mutated payloads")
    func memberSpans() {
        var generator = Generator(state: 0x5EED_5A4E)
        for _ in 0..<600 {
            let object = Self.object(&generator, depth: 0)
            let compact = JSONValue.object(object).serializedBytes
            Self.expectSpansRemoveMembers(compact)
            Self.expectSpansRemoveMembers(Array(JSONValue.object(object).prettyPrinted().utf8))
            for _ in 0..<4 { Self.expectSpansRemoveMembers(Self.mutate(compact, &generator)) }
        }
    }

    @Test("hostile payloads", arguments: [
        #"{"exp":1,"exp":2}"#, #"{"a":{"b":1,"b":1}}"#, #"{"a":[{"b":1,"b":2}]}"#, #"{"a":{"b":1},"b":{"b":1}}"#,
        #"{"a":1,"b":{"a":1}}"#, #"{"exp":1e400}"#, #"{"exp":"string"}"#, #"{"aud":["a",1]}"#, #"{"aud":["a","b"]}"#,
        #"{"aud":[]}"#, #"{"aud":[["a"]]}"#, #"{"aud":"a"}"#, #"{"exp":01}"#, #"{"exp":-}"#, #"{"exp":1.}"#, #"{"exp":.5}"#,
        #"{"exp":1e}"#, #"{"exp":1e+}"#, #"{"exp":+1}"#, #"{"a":tru}"#, #"{"a":nul}"#, #"{"a":fals}"#, #"{"a":falsy}"#,
        #"{"a":1,}"#, #"{,}"#, #"{"a"}"#, #"{"a":}"#, #"{"a" :1}"#, #" {"a":1}"#, #"{"a":1} "#, #"{"a":1}x"#, "{}", "",
        "[]", #""s""#, "1", #"{"a":"\u0041"}"#, #"{"\u0061":1,"a":2}"#, #"{"a":"x"#, #"{"a":[1,2"#, #"{"a":[1,]}"#,
        #"{"exp":1,"nbf":2,"iat":3,"iss":"i","sub":"s","jti":"j","aud":["x","y"]}"#, #"{"iss":null}"#, #"{"sub":true}"#,
        #"{"aud":{"a":1}}"#,
        // NumericDates read in place, and registered claims of the wrong kind (their errors).
        #"{"exp":253402300799,"nbf":-62135596800,"iat":0}"#, #"{"exp":253402300800}"#, #"{"nbf":-62135596801}"#,
        #"{"exp":1.5,"nbf":-2.5,"iat":-0}"#, #"{"iat":1e3}"#, #"{"exp":99999999999999999999}"#, #"{"exp":1700000000000}"#,
        #"{"exp":-9223372036854775808}"#, #"{"iss":1}"#, #"{"sub":["a"]}"#, #"{"jti":2}"#, #"{"aud":3}"#, #"{"iss":"a","sub":4}"#,
    ])
    func hostile(_ text: String) {
        Self.expectAgreement(Array(text.utf8))
    }

    @Test("bad UTF-8 and controls in strings", arguments: [
        [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0x9F, 0xBF], [0xF4, 0x90, 0x80, 0x80],
        [0xF4, 0x8F, 0xBF, 0xBF], [0xF5, 0x80, 0x80, 0x80], [0xC3], [0x80], [0xFF], [0x00], [0x1F], [0x7F], [0xE2, 0x80, 0xA8],
        [0x5C, 0x6E], [0x5C, 0x22], [0x22], [0x41],
    ] as [[UInt8]])
    func badUTF8(_ inner: [UInt8]) {
        for name in ["x", "exp", "iss"] {
            Self.expectAgreement(Array(#"{"\#(name)":""#.utf8) + inner + Array(#""}"#.utf8))
            Self.expectAgreement(Array(#"{""#.utf8) + inner + Array(#"":1}"#.utf8))
        }
        // Inside longer strings, at every offset from 0 to 17.
        for pad in 0..<18 {
            let before = [UInt8](repeating: UInt8(ascii: "a"), count: pad)
            let after = [UInt8](repeating: UInt8(ascii: "b"), count: 17 - pad)
            Self.expectAgreement(Array(#"{"iss":""#.utf8) + before + inner + after + Array(#""}"#.utf8))
            Self.expectAgreement(Array(#"{""#.utf8) + before + inner + after + Array(#"":1,"sub":"s"}"#.utf8))
        }
    }

    @Test("nesting up to the parser's bound is accepted, deeper is left to the parser")
    func depth() {
        for depth in [1, 2, 32, 63, 64, 65, 66, 200] {
            let open = String(repeating: "[", count: depth - 1)
            let close = String(repeating: "]", count: depth - 1)
            Self.expectAgreement(Array(#"{"a":\#(open)1\#(close)}"#.utf8))
            let objects = String(repeating: #"{"a":"#, count: depth) + "1" + String(repeating: "}", count: depth)
            Self.expectAgreement(Array(objects.utf8))
        }
    }

    @Test("duplicate names of 0 to 17 bytes, equal or one byte apart, nested or not, agree with the parser")
    func duplicateNames() {
        for length in 0...17 {
            let name = String((0..<length).map { Character(Unicode.Scalar(UInt8(ascii: "a") + UInt8($0 % 26))) })
            let near = length == 0 ? "z" : String(name.dropLast()) + "Z"
            for other in [name, near, name + "a", "é" + name, name + "é"] {
                for text in [
                    #"{"\#(name)":1,"\#(other)":2}"#,
                    #"{"\#(other)":1,"x":{"y":2},"\#(name)":[3]}"#,
                    #"{"pad":"\#(String(repeating: "p", count: 20))","\#(name)":1,"\#(other)":2}"#,
                    #"{"o":{"\#(name)":1,"\#(other)":2},"\#(name)":3}"#,
                    #"{"\#(name)":{"\#(other)":1},"\#(other)":2}"#,
                ] {
                    Self.expectAgreement(Array(text.utf8))
                    let accepted = Array(text.utf8).withUnsafeBufferPointer(JSONClaimScanner.scan) != nil
                    #expect(accepted == (other != name), "\(text)")
                }
            }
        }
    }

    @Test("a duplicate among more names than the 64 bits that prefilter them is still found")
    func duplicateAmongManyNames() {
        // 100 distinct names fill every bit, so each later name is compared with the others.
        let names = (0..<100).map { "n\($0)" }
        let members = names.map { #""\#($0)":1"# }.joined(separator: ",")
        for repeated in [names[0], names[37], names[99], "n100"] {
            let text = Array(#"{\#(members),"\#(repeated)":2}"#.utf8)
            Self.expectAgreement(text)
            let accepted = text.withUnsafeBufferPointer(JSONClaimScanner.scan) != nil
            #expect(accepted == !names.contains(repeated), "\(repeated)")
        }
    }

    @Test("more member names than the scanner holds are left to the parser, which decides")
    func manyMembers() {
        for count in [JSONClaimScanner.nameCapacity - 1, JSONClaimScanner.nameCapacity, JSONClaimScanner.nameCapacity + 1] {
            let members = (0..<count).map { #""m\#($0)":\#($0)"# }.joined(separator: ",")
            let text = Array("{\(members)}".utf8)
            #expect((text.withUnsafeBufferPointer(JSONClaimScanner.scan) != nil) == (count <= JSONClaimScanner.nameCapacity))
            #expect(Self.parsed(text) != nil)
        }
    }
}
