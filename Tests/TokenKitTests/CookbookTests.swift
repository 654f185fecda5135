import Foundation
import Testing
import TokenKit

/// The RFC 7520 JWS examples (and RFC 8037 §A.4, RFC 7797 §4.2) from the JOSE cookbook.
@Suite("RFC 7520 cookbook JWS examples")
struct CookbookTests {
    /// What is checked for each file in `Vectors/rfc7520`.
    enum Coverage: Equatable {
        /// Deterministic algorithm: the compact output verifies and signing reproduces the signature.
        case verifyAndReproduce
        /// Randomized algorithm (PSS, ECDSA): the compact output verifies.
        case verifyOnly
        /// Not representable in what tokenctl reads; the reason is given.
        case outOfScope(String)
    }

    static let coverage: [String: Coverage] = [
        "jws_4_1.rsa_v15_signature.json": .verifyAndReproduce,
        "jws_4_2.rsa-pss_signature.json": .verifyOnly,
        "jws_4_3.ecdsa_signature.json": .verifyOnly,
        "jws_4_4.hmac-sha2_integrity_protection.json": .verifyAndReproduce,
        "curve25519_jws.json": .verifyAndReproduce,
        "jws_4_5.signature_with_detached_content.json": .outOfScope(
            "detached content (RFC 7515 appendix F): the compact form has an empty payload, so it is rejected"),
        "jws_4_6.protecting_specific_header_fields.json": .outOfScope(
            "unprotected header (kid): exists only in the JSON serialization"),
        "jws_4_7.protecting_content_only.json": .outOfScope(
            "no protected header at all: exists only in the JSON serialization"),
        "jws_4_8.multiple_signatures.json": .outOfScope(
            "several signatures: exists only in the JSON serialization"),
        "rfc7797_4.2.hmac-sha2_b64_false.json": .outOfScope(
            "unencoded payload (RFC 7797 b64: false): unsupported, so compact forms are rejected as unsupported_critical"),
    ]

    /// One cookbook example's single-signature parts.
    struct Example {
        let payload: String
        let jwk: JSONObject
        let algorithm: Algorithm
        let protectedB64u: String
        let signingInput: String
        let signature: String
        let compact: String?

        init(_ name: String) throws {
            let file = try VectorFiles.object(name, in: "rfc7520")
            let input = try #require(file["input"]?.objectValue, "\(name): input")
            let signing = try #require(file["signing"]?.objectValue, "\(name): signing")
            payload = try #require(input["payload"]?.stringValue, "\(name): payload")
            jwk = try #require(input["key"]?.objectValue, "\(name): key")
            let alg = try #require(input["alg"]?.stringValue, "\(name): alg")
            algorithm = try #require(Algorithm(rawValue: alg), "\(name): alg \(alg)")
            protectedB64u = try #require(signing["protected_b64u"]?.stringValue, "\(name): protected_b64u")
            signingInput = try #require(signing["sig-input"]?.stringValue, "\(name): sig-input")
            signature = try #require(signing["sig"]?.stringValue, "\(name): sig")
            compact = file["output"]?.objectValue?["compact"]?.stringValue
        }

        /// `protected_b64u "." BASE64URL(payload)`, built here rather than read.
        var builtSigningInput: String { protectedB64u + "." + Base64URL.encode(Array(payload.utf8)) }
    }

    @Test("every file in Vectors/rfc7520 is covered, and nothing else is listed")
    func everyFileCovered() throws {
        let urls = try #require(Bundle.module.urls(forResourcesWithExtension: "json", subdirectory: "Vectors/rfc7520"))
        #expect(Set(urls.map(\.lastPathComponent)) == Set(Self.coverage.keys))
    }

    static let verifiable = coverage.filter { $0.value == .verifyAndReproduce || $0.value == .verifyOnly }.keys.sorted()

    @Test("the compact output verifies with the example's key, private and public", arguments: verifiable)
    func compactVerifies(name: String) throws {
        let example = try Example(name)
        let compact = try #require(example.compact, "\(name) has a compact output")
        #expect(example.builtSigningInput == example.signingInput, "\(name): sig-input")
        #expect(compact == example.signingInput + "." + example.signature, "\(name): compact = sig-input.sig")
        let privateKey = try Key(jwk: example.jwk)
        let publicKey = try Key(jwk: privateKey.publicJWK() ?? example.jwk)
        for key in [privateKey, publicKey] {
            let match = try SignatureVerifier(keys: [key]).verify(try CompactToken(compact))
            #expect(match.algorithm == example.algorithm, "\(name)")
        }
        // One flipped payload byte fails (the check is real).
        var tampered = Array(compact.utf8)
        let firstDot = try #require(tampered.firstIndex(of: UInt8(ascii: ".")))
        tampered[firstDot + 1] = tampered[firstDot + 1] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        #expect(throws: TokenError(.signatureInvalid, "")) {
            try SignatureVerifier(keys: [publicKey]).verify(try CompactToken(String(decoding: tampered, as: UTF8.self)))
        }
    }

    static let deterministic = coverage.filter { $0.value == .verifyAndReproduce }.keys.sorted()

    @Test("signing protected_b64u.payload reproduces the exact signature (RS256, HS256, EdDSA)", arguments: deterministic)
    func signatureReproduced(name: String) throws {
        let example = try Example(name)
        let key = try Key(jwk: example.jwk)
        let signature = try key.signature(for: Array(example.builtSigningInput.utf8), algorithm: example.algorithm)
        #expect(Base64URL.encode(signature) == example.signature, "\(name)")
    }

    @Test("4.5 detached content: the compact form with an empty payload is rejected")
    func detachedContent() throws {
        let example = try Example("jws_4_5.signature_with_detached_content.json")
        let compact = try #require(example.compact)
        #expect(compact == example.protectedB64u + ".." + example.signature)
        let key = try Key(jwk: example.jwk)
        #expect(throws: TokenError(.signatureInvalid, "")) {
            try SignatureVerifier(keys: [key]).verify(try CompactToken(compact))
        }
        // Re-attached, the same signature verifies: only the detachment is unsupported.
        let attached = example.builtSigningInput + "." + example.signature
        #expect(try SignatureVerifier(keys: [key]).verify(try CompactToken(attached)).algorithm == .hs256)
    }

    /// The `signatures` (or the single flattened signature) of a JSON-only example.
    static func signatures(_ name: String) throws -> [JSONObject] {
        let signing = try #require(try VectorFiles.object(name, in: "rfc7520")["signing"])
        if let array = signing.arrayValue { return array.compactMap(\.objectValue) }
        return [try #require(signing.objectValue)]
    }

    @Test("4.6-4.8 JSON-only: no compact output; each protected signature still verifies as compact", arguments: [
        "jws_4_6.protecting_specific_header_fields.json", "jws_4_7.protecting_content_only.json",
        "jws_4_8.multiple_signatures.json",
    ])
    func jsonOnly(name: String) throws {
        let file = try VectorFiles.object(name, in: "rfc7520")
        let input = try #require(file["input"]?.objectValue)
        #expect(file["output"]?.objectValue?["compact"] == nil, "\(name) has no compact output")
        let payload = Base64URL.encode(Array(try #require(input["payload"]?.stringValue).utf8))
        let keyValue = try #require(input["key"])
        let keys = keyValue.arrayValue ?? [keyValue]
        let signatures = try Self.signatures(name)
        #expect(signatures.count == keys.count, "\(name): one key per signature")
        for (signing, jwk) in zip(signatures, keys) {
            let key = try Key(jwk: try #require(jwk.objectValue))
            let signature = try #require(signing["sig"]?.stringValue)
            if let protected = signing["protected_b64u"]?.stringValue {
                // The signature covers only the protected header and the payload, so the
                // compact form (which drops the unprotected header) verifies.
                let compact = protected + "." + payload + "." + signature
                #expect(throws: Never.self, "\(name): \(protected)") {
                    try SignatureVerifier(keys: [key]).verify(try CompactToken(compact))
                }
            } else {
                // No protected header: the compact form would have an empty header: malformed.
                #expect(throws: TokenError(.malformed, ""), "\(name): no protected header") {
                    try SignatureVerifier(keys: [key]).verify(try CompactToken("." + payload + "." + signature))
                }
            }
        }
    }

    @Test("RFC 7797 b64: false in compact form is rejected as unsupported_critical")
    func unencodedPayload() throws {
        let name = "rfc7797_4.2.hmac-sha2_b64_false.json"
        let example = try Example(name)
        let key = try Key(jwk: example.jwk)
        let verifier = try SignatureVerifier(keys: [key])
        // The file's signature is good over its unencoded signing input: the key is right.
        let fileSignature = try Base64URL.decode(example.signature)
        #expect(key.isValidSignature(fileSignature, for: Array(example.signingInput.utf8), algorithm: .hs256))

        let fileHeader = try #require(try JSONParser.parse(Base64URL.decode(example.protectedB64u)).objectValue)
        #expect(fileHeader["b64"] == .bool(false))
        let rfcHeader = try #require(try VectorFiles.object(name, in: "rfc7520")["signing"]?.objectValue?["protected"])
        #expect(rfcHeader.objectValue?["crit"] != nil, "the RFC's header marks b64 critical")
        for header in [example.protectedB64u, Base64URL.encode(rfcHeader.serializedBytes)] {
            // A payload a naive verifier would accept: base64url-encoded and correctly signed.
            let input = header + "." + Base64URL.encode(Array(example.payload.utf8))
            let compact = input + "." + Base64URL.encode(try key.signature(for: Array(input.utf8), algorithm: .hs256))
            #expect(throws: TokenError(.unsupportedCritical, ""), "\(name): \(header)") {
                try verifier.verify(try CompactToken(compact))
            }
            // The literal RFC 7797 compact form: its payload "$.02" holds a dot.
            #expect(throws: TokenError(.malformed, ""), "\(name): literal") {
                try verifier.verify(try CompactToken(header + "." + example.payload + "." + example.signature))
            }
        }
    }
}
