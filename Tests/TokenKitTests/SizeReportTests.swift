import Foundation
import Testing
@testable import TokenKit

/// One PyJWT token and its byte counts (Vectors/size/README.md).
struct PyJWTSizeVector: CustomTestStringConvertible {
    var alg: String
    var okpCurve: String
    var rsaModulusBits: Int
    var kid: String?
    var asciiPayload: Bool
    var token: String
    var totalBytes: Int
    var headerBytes: Int
    var payloadBytes: Int
    var signatureBytes: Int
    var claims: [ClaimCost]

    var testDescription: String { "\(alg) \(okpCurve) \(rsaModulusBits) \(asciiPayload ? "ascii" : "unicode")" }

    static func load() throws -> [PyJWTSizeVector] {
        let url = try #require(
            Bundle.module.url(forResource: "pyjwt-tokens", withExtension: "json", subdirectory: "Vectors/size"))
        let root = try JSONParser.parse(Array(try Data(contentsOf: url)))
        let vectors = try #require(root.objectValue?["vectors"]?.arrayValue)
        return try vectors.map { value in
            let object = try #require(value.objectValue)
            func int(_ name: String) throws -> Int { Int(try #require(object[name]?.numberValue?.int64Value)) }
            func string(_ name: String) throws -> String { try #require(object[name]?.stringValue) }
            let claims = try #require(object["claims"]?.arrayValue).map { claim in
                ClaimCost(
                    name: try #require(claim.objectValue?["name"]?.stringValue),
                    bytes: Int(try #require(claim.objectValue?["bytes"]?.numberValue?.int64Value)))
            }
            return PyJWTSizeVector(
                alg: try string("alg"), okpCurve: try string("okp_curve"), rsaModulusBits: try int("rsa_modulus_bits"),
                kid: object["kid"]?.stringValue, asciiPayload: object["ascii_payload"] == .bool(true),
                token: try string("token"), totalBytes: try int("total_bytes"), headerBytes: try int("header_bytes"),
                payloadBytes: try int("payload_bytes"), signatureBytes: try int("signature_bytes"), claims: claims)
        }
    }
}

@Suite("Size report")
struct SizeReportTests {
    static let now: Int64 = 1_767_225_600

    /// A token assembled the way `sign` writes one, with a signature of the right length.
    static func assembledToken(header: JSONObject, claims: JSONObject, signatureByteCount: Int) -> String {
        Base64URL.encode(header.serialized.utf8) + "." + Base64URL.encode(claims.serialized.utf8) + "."
            + Base64URL.encode([UInt8](repeating: 0xA5, count: signatureByteCount))
    }

    static let claims = JSONObject([
        ("sub", .string("user-1")), ("roles", .array([.string("admin"), .string("ops")])),
        ("org", .object(JSONObject([("id", .number(JSONNumber(42))), ("name", .string("Acme \"Ltd\" ✓"))]))),
        ("flag", .bool(true)), ("nothing", .null), ("ctl", .string("tab\tnew\nline\u{01}")),
    ])

    @Test("token byte counts and claim costs match PyJWT's", arguments: try PyJWTSizeVector.load())
    func matchesPyJWT(vector: PyJWTSizeVector) throws {
        let report = try SizeReport(token: CompactToken(vector.token))
        #expect(report.kind == .token)
        #expect(report.totalBytes == vector.totalBytes)
        #expect(report.totalBytes == vector.token.utf8.count)
        #expect(report.headerBytes == vector.headerBytes)
        #expect(report.payloadBytes == vector.payloadBytes)
        #expect(report.signatureBytes == vector.signatureBytes)
        #expect(report.claimCosts == vector.claims)
        #expect(report.addedClaims.isEmpty)
    }

    @Test("a claim set is sized as PyJWT encodes it", arguments: try PyJWTSizeVector.load().filter(\.asciiPayload))
    func claimSetMatchesPyJWT(vector: PyJWTSizeVector) throws {
        let token = try CompactToken(vector.token)
        let claims = try #require(try JSONParser.parse(token.payload).objectValue)
        let algorithm = try #require(Algorithm(rawValue: vector.alg))
        let report = SizeReport(
            claimSet: claims, algorithm: algorithm, rsaModulusBits: vector.rsaModulusBits, okpCurve: try #require(OKPCurve(jwkName: vector.okpCurve)),
            kid: vector.kid, now: Self.now)
        #expect(report.kind == .claimSet)
        #expect(report.addedClaims.isEmpty)
        #expect(report.totalBytes == vector.totalBytes)
        #expect(report.headerBytes == vector.headerBytes)
        #expect(report.payloadBytes == vector.payloadBytes)
        #expect(report.signatureBytes == vector.signatureBytes)
        #expect(report.claimCosts == vector.claims)
    }

    @Test("a claim set is sized exactly as the token sign would write", arguments: Algorithm.all)
    func claimSetMatchesAssembledToken(algorithm: Algorithm) throws {
        for bits in algorithm.family == .rsaPKCS1 || algorithm.family == .rsaPSS ? [2048, 3072, 4096] : [2048] {
            let report = SizeReport(claimSet: Self.claims, algorithm: algorithm, rsaModulusBits: bits, now: Self.now)
            var expectedClaims = Self.claims
            expectedClaims["iat"] = .number(JSONNumber(Self.now))
            expectedClaims["exp"] = .number(JSONNumber(Self.now + 900))
            #expect(report.claims == expectedClaims)
            #expect(report.claims.names.suffix(2) == ["iat", "exp"])
            #expect(report.addedClaims == ["iat", "exp"])
            let headerAlgorithm = algorithm.family == .eddsa ? Algorithm.edDSA : algorithm
            let header = JOSEHeader.forSigning(algorithm: headerAlgorithm, kid: String(repeating: "x", count: 43))
            #expect(report.header["alg"] == .string(headerAlgorithm.rawValue))
            let signatureCount = algorithm.signatureByteCount(rsaModulusBits: bits, okpCurve: algorithm == .ed448 ? .ed448 : .ed25519)
            let text = Self.assembledToken(header: header, claims: expectedClaims, signatureByteCount: signatureCount)
            let measured = try SizeReport(token: CompactToken(text))
            #expect(report.totalBytes == text.utf8.count)
            #expect(report.headerBytes == measured.headerBytes)
            #expect(report.payloadBytes == measured.payloadBytes)
            #expect(report.signatureBytes == measured.signatureBytes)
            #expect(report.claimCosts == measured.claimCosts)
        }
    }

    @Test("known signature segment lengths (field facts)")
    func signatureLengths() {
        func signature(_ algorithm: Algorithm, _ bits: Int = 2048) -> Int {
            SizeReport(claimSet: JSONObject(), algorithm: algorithm, rsaModulusBits: bits, now: Self.now).signatureBytes
        }
        #expect(signature(.hs256) == 43)
        #expect(signature(.es256) == 86)
        #expect(signature(.edDSA) == 86)
        #expect(signature(.es384) == 128)
        #expect(signature(.es512) == 176)
        #expect(signature(.rs256) == 342)
        #expect(signature(.ps256, 4096) == 683)
        #expect(signature(.ed448) == 152)
    }

    @Test("a given iat or exp is kept, not added")
    func keepsGivenTimes() {
        let claims = JSONObject([("exp", .number(JSONNumber(5))), ("sub", .string("a"))])
        let report = SizeReport(claimSet: claims, algorithm: .es256, now: Self.now)
        #expect(report.addedClaims == ["iat"])
        #expect(report.claims.names == ["exp", "sub", "iat"])
        #expect(report.claims["exp"] == .number(JSONNumber(5)))
        let none = SizeReport(claimSet: JSONObject(), algorithm: .hs256, kid: nil, now: Self.now)
        #expect(none.header.names == ["alg", "typ"])
        #expect(none.claims.names == ["iat", "exp"])
    }

    @Test("costs on compact JSON equal re-serializing without the claim")
    func compactCostsEqualReserialized() throws {
        let samples: [JSONObject] = [
            Self.claims,
            JSONObject([("only", .string("x"))]),
            JSONObject([("a", .string("}],\"{[")), ("b", .array([.object(JSONObject()), .array([])])), ("c", .number(JSONNumber(1)))]),
            JSONObject([("k\"ey", .string("\\")), ("ünï", .string("😀")), ("e", .number(JSONNumber(validatedText: "-1.5e+3")))]),
        ]
        for claims in samples {
            let bytes = Array(claims.serialized.utf8)
            let spans = try JSONParser.parseDocument(bytes, recordingMembers: true).memberSpans
            let costs = ClaimCost.costs(ofMembersOf: claims, spans: spans, jsonByteCount: bytes.count)
            #expect(costs == SizeReport.reserializedCosts(claims))
        }
    }

    @Test("costs are measured on the token's own bytes, whitespace included")
    func costsOnOriginalBytes() throws {
        let json = "{ \"a\" : 1 ,\n  \"bb\":[1, 2] , \"c\":\"x\"\t}"
        let bytes = Array(json.utf8)
        let parsed = try JSONParser.parseObjectDocument(bytes, what: "t", code: .malformed, recordingMembers: true)
        let costs = try #require(ClaimCost.costs(ofMembersOf: parsed.object, spans: parsed.memberSpans, jsonByteCount: bytes.count))
        // Removed: `"a" : 1 ,\n  ` (12), `"bb":[1, 2] , ` (14), `, "c":"x"` from after the previous value (10).
        let total = Base64URL.encodedLength(ofByteCount: bytes.count)
        #expect(costs.map(\.bytes) == [12, 14, 10].map { total - Base64URL.encodedLength(ofByteCount: bytes.count - $0) })
        for (index, span) in parsed.memberSpans.enumerated() {
            #expect(String(decoding: bytes[span.name], as: UTF8.self) == ["\"a\"", "\"bb\"", "\"c\""][index])
        }
        let text = Self.assembledToken(header: JOSEHeader.forSigning(algorithm: .hs256, kid: nil), claims: JSONObject(), signatureByteCount: 32)
        let parts = text.split(separator: ".")
        let token = try CompactToken("\(parts[0]).\(Base64URL.encode(bytes)).\(parts[1])")
        let report = try SizeReport(token: token)
        #expect(report.claimCosts.map(\.bytes) == costs.map(\.bytes))
        #expect(report.payloadBytes == token.payloadSegment.count)
    }

    @Test("removing a member's span leaves valid JSON without it")
    func spansRemoveCleanly() {
        for json in ["{\"a\":1}", " { \"a\" : [ 1 , { \"x\" : \"}\" } ] } ", "{\"a\":1,\"b\":{\"c\":[]},\"d\":\"\\\"\"}"] {
            Issue12ClaimScannerTests.expectSpansRemoveMembers(Array(json.utf8))
        }
    }

    @Test("a payload that is not a JSON object is malformed", arguments: ["[1]", "\"x\"", "{", "not json"])
    func rejectsNonObjectPayload(payload: String) throws {
        let token = try CompactToken("eyJhbGciOiJIUzI1NiJ9.\(Base64URL.encode(payload.utf8)).AAAA")
        #expect(throws: TokenError(.malformed, "")) { try SizeReport(token: token) }
    }

    @Test("claims sorted by cost, ties in payload order")
    func sortedByCost() {
        let claims = JSONObject([("a", .string("1")), ("big", .string(String(repeating: "x", count: 90))), ("b", .string("2"))])
        let report = SizeReport(claimSet: claims, algorithm: .es256, now: Self.now)
        let sorted = report.claimCostsBySize
        #expect(sorted.first?.name == "big")
        #expect(sorted.map(\.bytes) == sorted.map(\.bytes).sorted(by: >))
        let ties = sorted.filter { $0.bytes == report.cost(of: "a") }.map(\.name)
        #expect(ties.firstIndex(of: "a")! < ties.firstIndex(of: "b")!)
        #expect(report.cost(of: "missing") == 0)
    }
}
