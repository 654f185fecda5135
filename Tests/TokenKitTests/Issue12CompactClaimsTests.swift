import Testing
@testable import TokenKit

/// A usual claim set read in place (``CompactClaims``) gives the same size report, the same
/// findings under every policy, and the same values and shapes as the claim set parsed into a
/// tree, over generated and mutated payloads (the generator of `Issue12ClaimScannerTests`).
@Suite("Issue 12 claim sets read in place")
struct Issue12CompactClaimsTests {
    typealias Generator = Issue12ClaimScannerTests.Generator

    /// Policies that make every rule fire on the generated claims, one way or another.
    static let policies: [ClaimPolicy] = {
        var strict = ClaimPolicy(budget: SizeBudget(bytes: 120))
        strict.maxClaims = 3
        strict.maxDepth = 0
        strict.maxArrayItems = 1
        strict.maxStringBytes = 3
        strict.maxLifetime = 10
        var named = ClaimPolicy()
        named.personalDataClaims = ["sub", "roles", "x", "é", "ex"]
        named.allowedClaims = ["x"]
        named.severities = ["nested-too-deep": .error, "missing-exp": nil, "time-not-integer": .info]
        var allowing = ClaimPolicy()
        allowing.allowedClaims = ["email"]
        return [ClaimPolicy(), strict, named, allowing]
    }()

    /// A token carrying `payload` (its header and signature do not matter here).
    static func token(_ payload: [UInt8]) throws -> CompactToken {
        try CompactToken("eyJhbGciOiJIUzI1NiJ9." + Base64URL.encode(payload) + ".c2ln")
    }

    /// Whether the parser accepts `payload` as an object that ``CompactClaims`` reads: compact,
    /// at most ``CompactClaims/maxMembers`` members, no object in any value.
    static func readsInPlace(_ payload: [UInt8]) -> Bool {
        guard let object = try? JSONParser.parseObject(payload, what: "payload", code: .malformed),
            payload.withUnsafeBytes(JSONValue.isCompactSerialization), object.count <= CompactClaims.maxMembers
        else { return false }
        func holdsObject(_ value: JSONValue) -> Bool {
            switch value {
            case .object: return true
            case .array(let elements): return elements.contains(where: holdsObject)
            default: return false
            }
        }
        return !object.members.contains { holdsObject($0.value) }
    }

    /// Checks one payload: read in place exactly when ``readsInPlace(_:)`` says, and then the
    /// same as parsed. Returns whether it was read in place.
    @discardableResult
    static func expectSame(_ payload: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) throws -> Bool {
        let shown = String(decoding: payload, as: UTF8.self)
        let claims = CompactClaims(payload)
        #expect((claims != nil) == readsInPlace(payload), "\(shown)", sourceLocation: sourceLocation)
        guard let claims else { return false }
        let token = try token(payload)
        let document = try JSONParser.parseObjectDocument(payload, what: "payload", code: .malformed, recordingMembers: true)
        let tree = SizeReport(
            kind: .token, header: token.header, headerBytes: token.headerSegmentLength, claims: document.object,
            payloadBytes: payload.count, memberSpans: document.memberSpans, signatureBytes: token.signatureSegmentLength)
        let inPlace = SizeReport(token: token, claims: claims)
        #expect(inPlace == tree, "\(shown)", sourceLocation: sourceLocation)
        #expect(inPlace.claimCosts == tree.claimCosts, "\(shown)", sourceLocation: sourceLocation)
        #expect(inPlace.claimCount == tree.claimCount, "\(shown)", sourceLocation: sourceLocation)
        #expect(inPlace.claims == document.object, "\(shown)", sourceLocation: sourceLocation)
        let names = PersonalDataNames(custom: nil, allowed: [])
        for index in 0..<tree.claimCount {
            #expect(inPlace.claimName(at: index) == tree.claimName(at: index), "\(shown)", sourceLocation: sourceLocation)
            #expect(
                inPlace.claimValue(at: index) == tree.claimValue(at: index), "\(shown) \(index)",
                sourceLocation: sourceLocation)
            #expect(
                inPlace.claimIsComparableScalar(at: index) == tree.claimIsComparableScalar(at: index), "\(shown) \(index)",
                sourceLocation: sourceLocation)
            #expect(
                inPlace.claimShape(at: index, personalData: names) == tree.claimShape(at: index, personalData: names),
                "\(shown) \(index)", sourceLocation: sourceLocation)
        }
        for claim in RegisteredClaimPositions.Claim.allCases {
            let (read, parsed) = (inPlace.registeredClaim(claim), tree.registeredClaim(claim))
            #expect(read?.value == parsed?.value, "\(shown)", sourceLocation: sourceLocation)
            #expect(read?.cost == parsed?.cost, "\(shown)", sourceLocation: sourceLocation)
        }
        for now: Int64 in [0, 1_700_000_000] {
            for policy in policies {
                #expect(
                    policy.evaluate(inPlace, now: now) == policy.evaluate(tree, now: now), "\(shown)",
                    sourceLocation: sourceLocation)
            }
        }
        return true
    }

    @Test("the same sizes, values, shapes and findings as the parsed tree, over generated and mutated payloads")
    func generatedAndMutated() throws {
        var generator = Generator(state: 0xC0FF_EE12_3456_789A)
        var readInPlace = 0
        for _ in 0..<1500 {
            let object = Issue12ClaimScannerTests.object(&generator, depth: 0)
            let compact = JSONValue.object(object).serializedBytes
            if try Self.expectSame(compact) { readInPlace += 1 }
            try Self.expectSame(Array(JSONValue.object(object).prettyPrinted().utf8))
            for _ in 0..<4 { try Self.expectSame(Issue12ClaimScannerTests.mutate(compact, &generator)) }
        }
        #expect(readInPlace > 300)  // the path under test is taken often
    }

    @Test("shapes of arrays and strings, measured from the text", arguments: [
        #"{"a":[]}"#, #"{"a":[[]]}"#, #"{"a":[[],[1,2,3]]}"#, #"{"a":[1,[2,[3,[4]]]]}"#, #"{"a":["x,y","[","]"]}"#,
        #"{"a":"","b":"é","c":"😀😀"}"#, #"{"a":[["a","bb"],"ccc"]}"#, #"{"a":1,"b":true,"c":null,"d":-2.5e3}"#,
        #"{"roles":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q"]}"#,
        #"{"sub":"u","user_id":"u","uid":1,"expires":2,"exp":2,"x":"u","iat":1.5,"nbf":"soon"}"#,
        #"{"email":"a@b.c","phone":"1","iss":"i","aud":["i"],"jti":"i"}"#,
    ])
    func shapes(_ text: String) throws {
        #expect(try Self.expectSame(Array(text.utf8)))
    }

    @Test("what is not read in place is parsed", arguments: [
        #"{"a":{"b":1}}"#, #"{"a":[{"b":1}]}"#, #"{"a": 1}"#, #"{"a":"\u0041"}"#, #"{"a\"b":1}"#, "[]", #"{"a":1,"a":2}"#,
    ])
    func parsedInstead(_ text: String) throws {
        #expect(CompactClaims(Array(text.utf8)) == nil)
    }

    @Test("more than 32 claims are parsed, 32 are read in place")
    func memberBound() throws {
        func payload(_ count: Int) -> [UInt8] {
            Array(("{" + (0..<count).map { "\"c\($0)\":\($0)" }.joined(separator: ",") + "}").utf8)
        }
        #expect(try Self.expectSame(payload(32)))
        #expect(CompactClaims(payload(33)) == nil)
        try Self.expectSame(payload(33))
    }

    @Test("a compact text re-indented is the parsed value pretty-printed, byte for byte")
    func prettyPrinted() throws {
        var generator = Generator(state: 0x0DDB_A11C_AFE5)
        var texts: [[UInt8]] = ["{}", "[]", "[[]]", #"{"a":{}}"#, #"{"a":[[],{}]}"#, "1", #""x""#, "null"].map { Array($0.utf8) }
        for _ in 0..<500 {
            let value = JSONValue.object(Issue12ClaimScannerTests.object(&generator, depth: 0))
            texts.append(value.serializedBytes)
        }
        for text in texts where text.withUnsafeBytes(JSONValue.isCompactSerialization) {
            let value = try JSONParser.parse(text)
            for indent in [2, 4] {
                var out = ByteWriter()
                text.withUnsafeBufferPointer { JSONValue.appendPrettyPrinted(compactText: $0, indent: indent, to: &out) }
                #expect(out.string == value.prettyPrinted(indent: indent), "\(String(decoding: text, as: UTF8.self))")
            }
        }
    }

    @Test("an inspection of a claim set read in place shows its payload as received")
    func inspection() throws {
        let payload = Array(#"{"sub":"u","roles":["a"],"exp":1700000100,"iat":1700000000}"#.utf8)
        let inspection = TokenInspection(token: try Self.token(payload), now: 1_700_000_000)
        var out = ByteWriter()
        inspection.serializePayload(to: &out)
        #expect(out.withBytes { Array($0) } == payload)
        #expect(inspection.payload == (try JSONParser.parse(payload)))
        #expect(inspection.payloadText == nil)
        #expect(inspection.prettyPrintedPayload == inspection.payload?.prettyPrinted())
        #expect(inspection.token.prettyPrintedHeader == JSONValue.object(inspection.token.header).prettyPrinted())
        #expect(inspection.payloadError == nil)
        #expect(inspection.times.map(\.name) == ["iat", "exp"])
        #expect(inspection.sizeCheck?.findings.map(\.rule) == [])
    }
}
