import Testing
@testable import TokenKit

@Suite("Claim requirements")
struct ClaimRequirementsTests {
    static let now: Int64 = 1_800_000_000

    func check(_ claims: String, header: String = #"{"alg":"HS256","typ":"JWT"}"#, _ configure: (inout ClaimRequirements) -> Void = { _ in }) throws {
        var requirements = ClaimRequirements(now: Self.now)
        configure(&requirements)
        let header = try JSONParser.parse(header).objectValue!
        try requirements.check(header: header, claims: JWTClaims(payload: Array(claims.utf8)))
    }

    @Test("accepts a current token")
    func accepts() throws {
        try check(#"{"sub":"a","iat":1799999000,"exp":1800000600}"#)
    }

    @Test("exp: expired at exactly exp, leeway extends it")
    func expiration() throws {
        #expect(throws: TokenError(.expired, "")) { try check(#"{"exp":1800000000}"#) }
        try check(#"{"exp":1800000001}"#)
        try check(#"{"exp":1799999990}"#) { $0.leeway = 11 }
        #expect(throws: TokenError(.expired, "")) { try check(#"{"exp":1799999990}"#) { $0.leeway = 10 } }
    }

    @Test("exp is required unless allowed to be absent")
    func requiresExp() throws {
        #expect(throws: TokenError(.missingClaim, "")) { try check(#"{"sub":"a"}"#) }
        try check(#"{"sub":"a"}"#) { $0.requireExpiration = false }
    }

    @Test("registered claims of the wrong type are invalid", arguments: [
        #"{"exp":"1900000000"}"#, #"{"exp":1900000000,"nbf":true}"#, #"{"exp":1900000000,"iat":null}"#,
        #"{"exp":1e300}"#,
    ])
    func wrongTypes(claims: String) {
        #expect(throws: TokenError(.invalidClaim, "")) { try check(claims) }
    }

    @Test("nbf and iat in the future")
    func future() throws {
        #expect(throws: TokenError(.notYetValid, "")) { try check(#"{"exp":1900000000,"nbf":1800000001}"#) }
        try check(#"{"exp":1900000000,"nbf":1800000000}"#)
        try check(#"{"exp":1900000000,"nbf":1800000005}"#) { $0.leeway = 5 }
        #expect(throws: TokenError(.issuedInFuture, "")) { try check(#"{"exp":1900000000,"iat":1800000001}"#) }
    }

    @Test("max age needs iat")
    func maxAge() throws {
        try check(#"{"exp":1900000000,"iat":1799999400}"#) { $0.maxAge = 600 }
        #expect(throws: TokenError(.tooOld, "")) { try check(#"{"exp":1900000000,"iat":1799999399}"#) { $0.maxAge = 600 } }
        #expect(throws: TokenError(.missingClaim, "")) { try check(#"{"exp":1900000000}"#) { $0.maxAge = 600 } }
    }

    @Test("issuer is compared whole, never as a substring")
    func issuer() throws {
        try check(#"{"exp":1900000000,"iss":"https://issuer"}"#) { $0.issuer = "https://issuer" }
        #expect(throws: TokenError(.issuerMismatch, "")) {
            try check(#"{"exp":1900000000,"iss":"https://issuer.evil"}"#) { $0.issuer = "https://issuer" }
        }
        #expect(throws: TokenError(.issuerMismatch, "")) {
            try check(#"{"exp":1900000000,"iss":"issuer"}"#) { $0.issuer = "https://issuer" }
        }
        #expect(throws: TokenError(.invalidClaim, "")) {
            try check(#"{"exp":1900000000,"iss":["https://issuer"]}"#) { $0.issuer = "https://issuer" }
        }
    }

    @Test("audience as string or array")
    func audience() throws {
        try check(#"{"exp":1900000000,"aud":"api"}"#) { $0.audiences = ["api"] }
        try check(#"{"exp":1900000000,"aud":["web","api"]}"#) { $0.audiences = ["api"] }
        try check(#"{"exp":1900000000,"aud":["web"]}"#) { $0.audiences = ["api", "web"] }
        #expect(throws: TokenError(.audienceMismatch, "")) { try check(#"{"exp":1900000000,"aud":"apix"}"#) { $0.audiences = ["api"] } }
        #expect(throws: TokenError(.missingClaim, "")) { try check(#"{"exp":1900000000}"#) { $0.audiences = ["api"] } }
        #expect(throws: TokenError(.invalidClaim, "")) { try check(#"{"exp":1900000000,"aud":["api",1]}"#) { $0.audiences = ["api"] } }
    }

    @Test("subject, type, required claims, revocation")
    func others() throws {
        #expect(throws: TokenError(.subjectMismatch, "")) { try check(#"{"exp":1900000000,"sub":"b"}"#) { $0.subject = "a" } }
        try check(#"{"exp":1900000000}"#, header: #"{"alg":"HS256","typ":"application/at+JWT"}"#) { $0.type = "at+jwt" }
        #expect(throws: TokenError(.typeMismatch, "")) { try check(#"{"exp":1900000000}"#) { $0.type = "at+jwt" } }
        #expect(throws: TokenError(.missingClaim, "")) { try check(#"{"exp":1900000000}"#) { $0.requiredClaims = ["tenant"] } }
        try check(#"{"exp":1900000000,"tenant":"t"}"#) { $0.requiredClaims = ["tenant"] }
        #expect(throws: TokenError(.revoked, "")) { try check(#"{"exp":1900000000,"jti":"x1"}"#) { $0.revokedIDs = ["x1"] } }
        try check(#"{"exp":1900000000,"jti":"x2"}"#) { $0.revokedIDs = ["x1"] }
    }

    @Test("payload must be a JSON object")
    func payloadShape() {
        #expect(throws: TokenError(.malformed, "")) { try JWTClaims(payload: Array("foo".utf8)) }
        #expect(throws: TokenError(.malformed, "")) { try JWTClaims(payload: Array("[1]".utf8)) }
        #expect(throws: TokenError(.malformed, "")) { try JWTClaims(payload: Array(#"{"a":1,"a":2}"#.utf8)) }
    }
}
