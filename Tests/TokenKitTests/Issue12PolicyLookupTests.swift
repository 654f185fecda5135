import Testing

@testable import TokenKit

/// The policy's name look-ups that no longer build a set or dictionary at start-up:
/// ``ClaimPolicy/registeredClaim(forAlias:)`` (a list, once a dictionary) and the default
/// personal-data names (compared in turn, once a per-thread set).
@Suite struct Issue12PolicyLookupTests {
    /// Written out here, not read from the list under test.
    static let expected: [(String, String?)] = [
        ("user_id", "sub"), ("userId", "sub"), ("USER-ID", "sub"), ("uid", "sub"), ("Subject", "sub"),
        ("subject_id", "sub"), ("issuer", "iss"), ("audience", "aud"), ("expires", "exp"), ("expires_at", "exp"),
        ("expiry", "exp"), ("expiration", "exp"), ("expiration_time", "exp"), ("expires_in", "exp"),
        ("issued_at", "iat"), ("not_before", "nbf"), ("notBefore", "nbf"), ("jwt_id", "jti"), ("token_id", "jti"),
        ("name", nil), ("sub", nil), ("user", nil), ("expirationtimes", nil), ("a_much_longer_custom_claim_name", nil),
        ("", nil), ("ÜSER_ID", nil), ("tokén_id", nil),
    ]

    @Test("each alias spelling maps to its registered claim; other names map to none")
    func aliases() {
        for (name, claim) in Self.expected {
            #expect(ClaimPolicy.registeredClaim(forAlias: name) == claim, "\(name)")
        }
    }

    /// The aliases, written out here.
    static let aliasNames: [String: String] = [
        "userid": "sub", "uid": "sub", "subject": "sub", "subjectid": "sub", "issuer": "iss", "audience": "aud",
        "expires": "exp", "expiresat": "exp", "expiry": "exp", "expiration": "exp", "expirationtime": "exp",
        "expiresin": "exp", "issuedat": "iat", "notbefore": "nbf", "jwtid": "jti", "tokenid": "jti",
    ]

    @Test("generated spellings: the alias look-up agrees with lower-casing, dropping _ and -, and comparing strings")
    func generatedSpellings() {
        var generator = SystemRandomNumberGenerator()
        let pieces = Array(Self.aliasNames.keys) + ["sub", "x", "é", "\u{212A}", "_", "-", "\r\n", "Id", "\u{0}"]
        for _ in 0..<4_000 {
            var name = ""
            for _ in 0..<Int.random(in: 0...3, using: &generator) {
                var piece = pieces.randomElement(using: &generator)!
                if Bool.random(using: &generator) { piece = piece.uppercased() }
                if Int.random(in: 0..<4, using: &generator) == 0 { piece.insert("_", at: piece.startIndex) }
                name += piece
            }
            let reference = Self.aliasNames[String(name.lowercased().filter { $0 != "_" && $0 != "-" })]
            #expect(ClaimPolicy.registeredClaim(forAlias: name) == reference, "\(Array(name.utf8))")
        }
    }

    @Test("registered claims are the seven three-letter names, byte for byte")
    func registeredNames() {
        for name in ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"] { #expect(ClaimPolicy.isRegisteredClaim(name)) }
        for name in ["", "is", "iss ", "ISS", "su", "subs", "jt\u{0}", "éxp", "roles", "typ", "kid", "\u{212A}id"] {
            #expect(!ClaimPolicy.isRegisteredClaim(name), "\(name)")
        }
    }

    @Test("registered claims are found by position: the first member with the name's bytes, wherever it is")
    func registeredPositions() throws {
        let names = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]  // written out, not read from the policy
        let decoys = ["ISS", "su", "expo", "iat ", "\u{212A}id", "roles", "typ", "éxp", "x"]
        #expect(RegisteredClaimPositions.Claim.allCases.map(\.name) == names)
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<500 {
            let chosen = (names + decoys).filter { _ in Bool.random(using: &generator) }.shuffled(using: &generator)
            let claims = JSONObject(chosen.map { ($0, JSONValue.string($0)) })
            let positions = RegisteredClaimPositions(claims)
            for claim in RegisteredClaimPositions.Claim.allCases {
                let reference = chosen.firstIndex { Array($0.utf8) == Array(claim.name.utf8) }
                #expect(positions.position(of: claim) == reference, "\(claim.name) in \(chosen)")
            }
            for index in chosen.indices {
                #expect(positions.isRegistered(at: index) == names.contains(chosen[index]), "\(chosen[index])")
            }
        }
    }

    @Test("a custom claim repeating sub by an alias is still a duplicate-claim finding")
    func duplicateFinding() throws {
        let findings = try ClaimPolicyTests.findings(ClaimPolicyTests.valid([("User-Id", .string("u1"))]))
            .filter { $0.rule == .duplicateClaim }
        #expect(findings.map(\.claim) == ["User-Id"])
        #expect(findings.first?.message == "User-Id repeats the registered claim sub with the same value")
    }

    /// The personal-data findings' claims for these claims under `policy`.
    static func personalClaims(_ extra: [(String, JSONValue)], policy: ClaimPolicy = ClaimPolicy()) throws -> [String] {
        try ClaimPolicyTests.findings(ClaimPolicyTests.valid(extra), policy: policy)
            .filter { $0.rule == .personalData }.compactMap(\.claim)
    }

    @Test("every default personal-data name is found, in any case, top-level or nested; others are not")
    func defaultNames() throws {
        let names = ["name", "given_name", "family_name", "middle_name", "nickname", "profile", "picture", "website",
            "email", "gender", "birthdate", "phone_number", "address", "phone", "mobile", "first_name", "last_name",
            "full_name", "firstname", "lastname", "fullname", "date_of_birth", "dob", "street", "street_address",
            "postal_code", "zip", "ssn"]
        #expect(PersonalDataClaims.default == Set(names))
        for name in names {
            #expect(try Self.personalClaims([(name, .string("x"))]) == [name])
            #expect(try Self.personalClaims([(name.uppercased(), .string("x"))]) == [name.uppercased()])
            #expect(try Self.personalClaims([("user", .object(JSONObject([(name, .string("x"))])))]) == ["user"])
        }
        let others = ["roles", "names", "emails", "zip\u{0}", "\u{0}zip", "nam", "street_address_", "street_addresses", "e"]
        #expect(try Self.personalClaims(others.map { ($0, .string("x")) }).isEmpty)
    }

    @Test("a policy's own names replace the default; allowed names are never reported; the default set compares equal")
    func customNames() throws {
        var policy = ClaimPolicy()
        policy.personalDataClaims = ["badge"]
        #expect(try Self.personalClaims([("Badge", .string("x")), ("email", .string("x"))], policy: policy) == ["Badge"])
        policy.allowedClaims = ["badge"]
        #expect(try Self.personalClaims([("badge", .string("x"))], policy: policy).isEmpty)
        var allowing = ClaimPolicy()
        allowing.allowedClaims = ["email"]
        #expect(try Self.personalClaims([("EMAIL", .string("x")), ("phone", .string("x"))], policy: allowing) == ["phone"])
        var restated = ClaimPolicy()
        restated.personalDataClaims = PersonalDataClaims.openIDConnect.union(PersonalDataClaims.commonAliases)
        #expect(restated == ClaimPolicy())
        #expect(restated.personalDataClaims == PersonalDataClaims.default)
    }

    @Test("registered claims skip the default names' look-up, which holds none; a policy's own names may hold one")
    func registeredClaimsSkipTheDefaultNames() throws {
        #expect(PersonalDataClaims.default.isDisjoint(with: ClaimPolicy.registeredClaims))
        var policy = ClaimPolicy()
        policy.personalDataClaims = ["sub", "jti"]
        // ClaimPolicyTests.valid carries sub: it and jti are reported under the policy's own names.
        #expect(try Self.personalClaims([("jti", .string("j1"))], policy: policy) == ["sub", "jti"])
        #expect(try Self.personalClaims([("jti", .string("j1"))]).isEmpty)
    }
}
