import Foundation
import Testing
@testable import TokenKit

/// The registered-claim rules shared by signing and verifying (issue 6).
@Suite("registered claims, claim assignments and signing defaults")
struct RegisteredClaimsTests {
    func claims(_ json: String) throws -> JWTClaims { try JWTClaims(payload: Array(json.utf8)) }

    @Test("RFC 7519 types of registered claims", arguments: [
        (#"{"sub":"a","iss":"b","jti":"c","aud":"d","exp":1,"nbf":0,"iat":0.5}"#, true),
        (#"{"aud":["a","b"],"x":5}"#, true),
        (#"{"sub":5}"#, false), (#"{"iss":["a"]}"#, false), (#"{"jti":null}"#, false),
        (#"{"aud":5}"#, false), (#"{"aud":["a",1]}"#, false), (#"{"exp":"1"}"#, false),
        (#"{"nbf":1e300}"#, false), (#"{"iat":true}"#, false),
    ])
    func types(json: String, valid: Bool) throws {
        let set = try claims(json)
        if valid {
            try set.checkRegisteredClaimTypes()
        } else {
            #expect(throws: TokenError(.invalidClaim, "")) { try set.checkRegisteredClaimTypes() }
        }
    }

    @Test("verify's claim checks reject wrong types whatever is required")
    func requirementsCheckTypes() throws {
        let requirements = ClaimRequirements(now: 100)
        #expect(throws: TokenError(.invalidClaim, "")) {
            try requirements.check(header: JSONObject(), claims: try claims(#"{"sub":5,"exp":200}"#))
        }
        try requirements.check(header: JSONObject(), claims: try claims(#"{"sub":"5","exp":200}"#))
    }

    @Test("the validity window a signer requires", arguments: [
        (#"{"iat":100,"exp":200}"#, true), (#"{"exp":101}"#, true), (#"{"iat":100}"#, true),
        (#"{"nbf":150,"exp":200}"#, true),
        (#"{"iat":100,"exp":100}"#, false), (#"{"exp":100}"#, false), (#"{"exp":50}"#, false),
        (#"{"nbf":200,"exp":200}"#, false), (#"{"iat":0,"exp":60}"#, false),
    ])
    func validityWindow(json: String, valid: Bool) throws {
        let set = try claims(json)
        if valid {
            try set.checkValidityWindow(now: 100)
        } else {
            #expect(throws: TokenError(.invalidClaim, "")) { try set.checkValidityWindow(now: 100) }
        }
    }

    @Test("NAME=VALUE is a string, NAME:=JSON is JSON")
    func assignments() throws {
        #expect(try ClaimSetBuilder.assignment("n=123") == ("n", .string("123")))
        #expect(try ClaimSetBuilder.assignment("n=true").value == .string("true"))
        #expect(try ClaimSetBuilder.assignment("url=a=b") == ("url", .string("a=b")))
        #expect(try ClaimSetBuilder.assignment("urn:x=1") == ("urn:x", .string("1")))
        #expect(try ClaimSetBuilder.assignment("n:=123").value.numberValue?.int64Value == 123)
        #expect(try ClaimSetBuilder.assignment(#"g:=["a"]"#).value == .array([.string("a")]))
        #expect(try ClaimSetBuilder.assignment(#"s:="x""#).value == .string("x"))
        for bad in ["novalue", "=x", ":=1", "g:=[a", "n:="] {
            #expect(throws: TokenError(.invalidValue, "")) { try ClaimSetBuilder.assignment(bad) }
        }
    }

    @Test("defaults: exp counts from a given iat, and the added claims are named")
    func defaults() {
        var builder = ClaimSetBuilder(base: JSONObject([("iat", .number(JSONNumber(1))), ("sub", .string("a"))]))
        #expect(builder.fillDefaults(now: 5000) == ["exp"])
        #expect(builder.claims["exp"]?.numberValue?.int64Value == 901)
        var empty = ClaimSetBuilder()
        #expect(empty.fillDefaults(now: 5000) == ["iat", "exp"])
        #expect(empty.claims["exp"]?.numberValue?.int64Value == 5900)
    }

    @Test("one Ed25519/EdDSA naming rule, one default kid rule")
    func signingNames() {
        #expect(Algorithm.ed25519.signingName == .edDSA)
        #expect(Algorithm.ed448.signingName == .edDSA)
        #expect(Algorithm.es256.signingName == .es256)
        #expect(TokenSigner.defaultKeyID(forAlgorithm: .hs256) == nil)
        #expect(TokenSigner.defaultKeyID(forAlgorithm: .rs256)?.count == 43)
    }

    @Test("a claim-set size report fills iat and exp as sign does")
    func sizeReportDefaults() {
        let report = SizeReport(
            claimSet: JSONObject([("iat", .number(JSONNumber(1))), ("sub", .string("a"))]), algorithm: .es256,
            now: 1_800_000_000)
        #expect(report.claims["exp"]?.numberValue?.int64Value == 901)
        #expect(report.addedClaims == ["exp"])
        let hmac = SizeReport(claimSet: JSONObject(), algorithm: .hs256, kid: nil, now: 0)
        #expect(hmac.header["kid"] == nil)
    }

    @Test("a PEM pasted with indentation reads as the same key")
    func indentedPEM() throws {
        let url = try #require(Bundle.module.url(forResource: "ed25519.pkcs8.pem", withExtension: nil, subdirectory: "Vectors/keys"))
        let pem = try String(contentsOf: url, encoding: .utf8)
        let indented = "key: |\n" + pem.split(separator: "\n").map { "    " + $0 + " \r" }.joined(separator: "\n")
        #expect(try Key(pemRepresentation: indented).thumbprint() == Key(pemRepresentation: pem).thumbprint())
    }

    @Test("TokenKit errors name a remedy, never a command-line option")
    func remediesNotFlags() throws {
        let tooLarge = #expect(throws: TokenError(.malformed, "")) { try CompactToken("a.b.c", maxBytes: 3) }
        #expect(tooLarge?.remedy == .raiseTokenSizeLimit)
        let noExpiry = #expect(throws: TokenError(.missingClaim, "")) {
            try ClaimRequirements(now: 0).check(header: JSONObject(), claims: JWTClaims(JSONObject()))
        }
        #expect(noExpiry?.remedy == .allowMissingExpiration)
        let publicPEM = Array("-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n".utf8)
        let asSecret = #expect(throws: TokenError(.keyUnsuitable, "")) { try Key(hmacSecret: publicPEM) }
        #expect(asSecret?.remedy == .giveAsKey)
        for error in [tooLarge, noExpiry, asSecret] {
            #expect(error?.reason.contains("--") == false, "\(String(describing: error))")
        }
        for code in TokenError.Code.all {
            #expect(!code.summary.contains("--"), "\(code.id)")
        }
    }

    @Test("a claim set a signer refuses gets an invalid-claim warning; a token does not")
    func invalidClaimFinding() throws {
        let old = SizeReport(claimSet: JSONObject([("iat", .number(JSONNumber(1)))]), algorithm: .es256, now: 5000)
        #expect(ClaimPolicy().evaluate(old, now: 5000).contains { $0.rule == .invalidClaim && $0.severity == .warning })
        let fine = SizeReport(claimSet: JSONObject([("sub", .string("a"))]), algorithm: .es256, now: 5000)
        #expect(!ClaimPolicy().evaluate(fine, now: 5000).contains { $0.rule == .invalidClaim })
        let wrongType = SizeReport(claimSet: JSONObject([("sub", .number(JSONNumber(5)))]), algorithm: .es256, now: 5000)
        #expect(ClaimPolicy().evaluate(wrongType, now: 5000).contains { $0.rule == .invalidClaim })
    }

    @Test("type names read with their article")
    func articles() {
        #expect(JSONValue.array([]).typeNameWithArticle == "an array")
        #expect(JSONValue.object(JSONObject()).typeNameWithArticle == "an object")
        #expect(JSONValue.string("").typeNameWithArticle == "a string")
    }
}
