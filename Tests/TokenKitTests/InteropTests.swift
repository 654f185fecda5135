import Foundation
import Testing
import TokenKit

/// Tokens signed by an independent implementation (PyJWT, `Vectors/interop`, made once by
/// `scripts/make-interop-fixtures.py`) verify with TokenKit, for every algorithm.
@Suite("Interoperability with PyJWT")
struct InteropTests {
    /// Every fixture id; the manifest must list exactly these.
    static let ids = [
        "hs256", "hs384", "hs512", "rs256", "rs384", "rs512", "ps256", "ps384", "ps512",
        "es256", "es384", "es512", "es256k", "eddsa-ed25519", "eddsa-ed448",
    ]

    /// A fixed instant between the fixtures' `nbf` (2023-11-14) and `exp` (2100-01-01).
    static let now: Int64 = 1_800_000_000

    /// One fixture: a token and the files of its key.
    struct Fixture {
        let id: String
        let algorithm: Algorithm
        let kid: String
        let token: String
        /// The verification JWK (public, or the oct secret), as PyJWT wrote it.
        let jwk: [UInt8]
        let publicPEM: [UInt8]?
        let privatePEM: [UInt8]?

        init(_ id: String) throws {
            let manifest = try VectorFiles.object("manifest.json", in: "interop")
            let cases = try #require(manifest["cases"]?.arrayValue).compactMap(\.objectValue)
            let entry = try #require(cases.first { $0["id"]?.stringValue == id }, "\(id) in manifest.json")
            let files = try #require(entry["files"]?.objectValue)
            func file(_ name: String) throws -> [UInt8]? {
                try files[name]?.stringValue.map { try VectorFiles.bytes($0, in: "interop") }
            }
            self.id = id
            algorithm = try #require(entry["alg"]?.stringValue.flatMap(Algorithm.init(rawValue:)), "\(id): alg")
            kid = try #require(entry["kid"]?.stringValue)
            let tokenBytes = try #require(try file("token"), "\(id): token")
            token = String(decoding: tokenBytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            jwk = try #require(try file("jwk"), "\(id): jwk")
            publicPEM = try file("publicPEM")
            privatePEM = try file("privatePEM")
        }

        /// The claims the token must carry (the manifest's copy).
        static func expectedClaims() throws -> JSONObject {
            try #require(try VectorFiles.object("manifest.json", in: "interop")["claims"]?.objectValue)
        }

        /// The key forms to verify with: the JWK, and the SPKI PEM when there is one.
        var keyForms: [(String, [UInt8])] { [("JWK", jwk)] + (publicPEM.map { [("PEM", $0)] } ?? []) }
    }

    /// Requirements as a relying party would set them for these tokens.
    static func requirements() -> ClaimRequirements {
        var requirements = ClaimRequirements(now: now)
        requirements.issuer = "https://pyjwt.interop.example"
        requirements.audiences = ["tokenctl"]
        requirements.subject = "interop-subject"
        requirements.requiredClaims = ["jti", "iat", "nbf"]
        return requirements
    }

    @Test("the manifest lists exactly the algorithms tokenctl supports")
    func manifestComplete() throws {
        let manifest = try VectorFiles.object("manifest.json", in: "interop")
        let listed = try #require(manifest["cases"]?.arrayValue).compactMap { $0.objectValue?["id"]?.stringValue }
        #expect(listed == Self.ids)
        let algorithms = Set(try Self.ids.map { try Fixture($0).algorithm })
        #expect(algorithms == Set(Algorithm.all).subtracting([.ed25519, .ed448]), "every algorithm tokenctl signs with")
    }

    @Test("a PyJWT token verifies with TokenVerifier, from the JWK and from the PEM", arguments: ids)
    func pyjwtTokenVerifies(id: String) throws {
        let fixture = try Fixture(id)
        let expectedClaims = try Fixture.expectedClaims()
        for (form, bytes) in fixture.keyForms {
            let keys = try KeySource.keys(from: bytes)
            let verifier = TokenVerifier(
                signatureVerifier: try SignatureVerifier(keys: keys, allowedAlgorithms: [fixture.algorithm]),
                requirements: Self.requirements())
            let verified = try verifier.verify(fixture.token)
            #expect(verified.algorithm == fixture.algorithm, "\(id) \(form)")
            #expect(verified.token.keyID == fixture.kid, "\(id) \(form)")
            #expect(verified.claims.object == expectedClaims, "\(id) \(form): claims")
        }
    }

    @Test("a PyJWT token with one payload character changed is rejected", arguments: ids)
    func tamperedRejected(id: String) throws {
        let fixture = try Fixture(id)
        var bytes = Array(fixture.token.utf8)
        let firstDot = try #require(bytes.firstIndex(of: UInt8(ascii: ".")))
        let index = firstDot + 10  // well inside the payload: the change stays valid base64url
        bytes[index] = bytes[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        let verifier = TokenVerifier(
            signatureVerifier: try SignatureVerifier(keys: try KeySource.keys(from: fixture.jwk)),
            requirements: Self.requirements())
        #expect(throws: TokenError(.signatureInvalid, ""), "\(id)") {
            try verifier.verify(String(decoding: bytes, as: UTF8.self))
        }
    }

    @Test("TokenKit signs PyJWT's signing input with PyJWT's key: same bytes (deterministic) or verifiable",
          arguments: ids)
    func sameSignature(id: String) throws {
        let fixture = try Fixture(id)
        let token = try CompactToken(fixture.token)
        let privateKey = try #require(try KeySource.keys(from: fixture.privatePEM ?? fixture.jwk).first)
        let signature = try privateKey.signature(for: token.signingInput, algorithm: fixture.algorithm)
        switch fixture.algorithm.family {
        case .hmac, .rsaPKCS1, .eddsa:
            #expect(signature == token.signature, "\(id): deterministic, must match PyJWT byte for byte")
        case .rsaPSS, .ecdsa:
            let publicKey = try #require(try KeySource.keys(from: fixture.jwk).first)
            #expect(publicKey.isValidSignature(signature, for: token.signingInput, algorithm: fixture.algorithm), "\(id)")
        }
    }

    @Test("an OKP key whose alg is Ed25519/Ed448 (RFC 9864) verifies EdDSA tokens, for its curve only", arguments: [
        ("eddsa-ed25519", Algorithm.ed25519), ("eddsa-ed448", .ed448),
    ])
    func fullySpecifiedEdDSAKey(id: String, name: Algorithm) throws {
        // An issuer's JWKS may name the curve (RFC 9864) while tokens say EdDSA, as PyJWT's do.
        let fixture = try Fixture(id)
        var jwk = try #require(try JSONParser.parse(fixture.jwk).objectValue)
        jwk["alg"] = .string(name.rawValue)
        let publicKey = try Key(jwk: jwk)
        #expect(publicKey.allowedAlgorithms == [.edDSA, name])
        for allowed: Set<Algorithm>? in [nil, [.edDSA]] {
            let verifier = try SignatureVerifier(keys: [publicKey], allowedAlgorithms: allowed)
            #expect(try verifier.verify(try CompactToken(fixture.token)).algorithm == .edDSA, "--alg \(allowed ?? [])")
        }
        // The caller's --alg list filters header names exactly: --alg Ed448 does not take "EdDSA".
        #expect(throws: TokenError(.algorithmNotAllowed, "")) {
            try SignatureVerifier(keys: [publicKey], allowedAlgorithms: [name]).verify(try CompactToken(fixture.token))
        }
        // The same signature under the header alg of the key's name verifies too; under the
        // other curve's name it is refused before any signature check.
        let token = try CompactToken(fixture.token)
        let other: Algorithm = name == .ed448 ? .ed25519 : .ed448
        for (headerAlg, expected) in [(name, nil), (other, TokenError.Code.algorithmNotAllowed)] {
            let header = Base64URL.encode(Array(#"{"alg":"\#(headerAlg.rawValue)"}"#.utf8))
            let relabelled = try CompactToken(header + "." + token.payloadSegment + "." + token.signatureSegment)
            let input = relabelled.signingInput
            let resigned = try Key(pemRepresentation: String(decoding: try #require(fixture.privatePEM), as: UTF8.self))
                .signature(for: input, algorithm: name)
            let text = header + "." + token.payloadSegment + "." + Base64URL.encode(resigned)
            let verifier = try SignatureVerifier(keys: [publicKey])
            if let expected {
                #expect(throws: TokenError(expected, ""), "\(headerAlg)") { try verifier.verify(try CompactToken(text)) }
            } else {
                #expect(try verifier.verify(try CompactToken(text)).algorithm == headerAlg)
            }
        }
    }

    @Test("a key generated for Ed25519/Ed448 signs (as EdDSA) and verifies its own tokens",
          arguments: [Algorithm.ed25519, .ed448])
    func fullySpecifiedEdDSASigning(name: Algorithm) throws {
        let key = try Key.generate(for: name)
        let signer = try TokenSigner(key: key)
        #expect(signer.algorithm == .edDSA)
        let token = try signer.sign(JSONObject([("sub", .string("x"))]))
        let verifier = try SignatureVerifier(keys: [try Key(jwk: try #require(key.publicJWK()))])
        #expect(try verifier.verify(try CompactToken(token)).algorithm == .edDSA)
    }
}

/// Writes tokens signed by TokenKit for `scripts/interop-check.sh` to verify with PyJWT.
/// Runs only when `TOKENCTL_EXPORT_INTEROP` names a directory:
///
///     TOKENCTL_EXPORT_INTEROP=/tmp/tokenkit-interop swift test --filter InteropExport
///     scripts/interop-check.sh /tmp/tokenkit-interop
@Suite("Interoperability export (TOKENCTL_EXPORT_INTEROP)")
struct InteropExport {
    static let directory = ProcessInfo.processInfo.environment["TOKENCTL_EXPORT_INTEROP"]

    /// (id, the algorithm the key is generated for).
    static let configurations: [(String, Algorithm)] = [
        ("hs256", .hs256), ("hs384", .hs384), ("hs512", .hs512),
        ("rs256", .rs256), ("rs384", .rs384), ("rs512", .rs512),
        ("ps256", .ps256), ("ps384", .ps384), ("ps512", .ps512),
        ("es256", .es256), ("es384", .es384), ("es512", .es512), ("es256k", .es256k),
        ("eddsa-ed25519", .edDSA), ("eddsa-ed448", .ed448),
    ]

    static let claimsJSON = """
        {"iss":"https://tokenkit.interop.example","sub":"interop-subject","aud":["tokenctl","other-audience"],\
        "iat":1700000000,"nbf":1700000000,"exp":4102444800,"jti":"interop-jti-0001",\
        "name":"Zoë Ünïcode ✓","roles":["reader","writer"],"n":1.5e3}
        """

    @Test("write a token signed by TokenKit for every algorithm, with its keys",
          .enabled(if: directory != nil, "set TOKENCTL_EXPORT_INTEROP=DIR to export"))
    func export() throws {
        let directory = URL(fileURLWithPath: try #require(Self.directory))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        func write(_ text: String, _ name: String) throws {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name), options: .atomic)
        }
        let claims = try #require(try JSONParser.parse(Self.claimsJSON).objectValue)
        var cases: [JSONValue] = []
        for (id, algorithm) in Self.configurations {
            var key = try Key.generate(for: algorithm)
            key.kid = "tokenkit-" + id
            // Pinned to "EdDSA", the name TokenSigner writes (see fullySpecifiedEdDSASigning).
            if algorithm.family == .eddsa { key.algorithm = .edDSA }
            let signer = try TokenSigner(key: key)
            let token = try signer.sign(claims)
            var files: [(String, JSONValue)] = [("token", .string(id + ".jwt")), ("jwk", .string(id + ".jwk.json"))]
            // The verification JWK: public, or the secret for HMAC.
            let jwk = try key.publicJWK() ?? key.privateJWK()
            try write(token + "\n", id + ".jwt")
            try write(JSONValue.object(jwk).prettyPrinted() + "\n", id + ".jwk.json")
            if key.publicJWK() != nil {
                try write(try key.publicPEM(), id + ".public.pem")
                files.append(("publicPEM", .string(id + ".public.pem")))
            }
            // The verifier must accept what it wrote (and PyJWT, in scripts/interop-check.sh).
            var requirements = ClaimRequirements(now: InteropTests.now)
            requirements.audiences = ["tokenctl"]
            _ = try TokenVerifier(signatureVerifier: try SignatureVerifier(keys: [key]), requirements: requirements)
                .verify(token)
            cases.append(.object(JSONObject([
                ("id", .string(id)), ("alg", .string(signer.algorithm.rawValue)),
                ("kid", .string("tokenkit-" + id)), ("files", .object(JSONObject(files))),
            ])))
        }
        let manifest = JSONObject([
            ("generator", .string("TokenKit (InteropExport in Tests/TokenKitTests/InteropTests.swift)")),
            ("claims", .object(claims)), ("cases", .array(cases)),
        ])
        try write(JSONValue.object(manifest).prettyPrinted() + "\n", "manifest.json")
        #expect(cases.count == InteropTests.ids.count)
    }
}
