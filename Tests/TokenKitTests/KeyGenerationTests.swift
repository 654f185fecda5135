import Testing
@testable import TokenKit

@Suite("Key generation")
struct KeyGenerationTests {
    static let input = Array("eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9".utf8)

    @Test("every algorithm: generate, sign with every allowed algorithm, verify, tamper", arguments: Algorithm.all)
    func generateSignVerify(algorithm: Algorithm) throws {
        // RSA key generation is slow: RS256 generates one, the other RSA algorithms use the
        // committed RSA 2048 key (types() checks the generated sizes).
        var key = try KeyFixtures.isRSA(algorithm) && algorithm != .rs256
            ? KeyFixtures.key(for: algorithm) : Key.generate(for: algorithm)
        #expect(key.isPrivate)
        #expect(key.algorithm == algorithm)
        // EdDSA and the curve's fully specified name (RFC 9864) stand for each other.
        let pinned: Set<Algorithm> = algorithm.family == .eddsa
            ? [.edDSA, algorithm == .ed448 ? .ed448 : .ed25519] : [algorithm]
        #expect(Set(key.allowedAlgorithms) == pinned)
        #expect(key.defaultAlgorithm == algorithm)
        key.algorithm = nil
        #expect(key.allowedAlgorithms.contains(algorithm))
        for allowed in key.allowedAlgorithms {
            let signature = try key.signature(for: Self.input, algorithm: allowed)
            var okpCurve = OKPCurve.ed25519
            if case .okp(let curve) = key.type { okpCurve = curve }
            #expect(signature.count == allowed.signatureByteCount(rsaModulusBits: 2048, okpCurve: okpCurve))
            #expect(key.isValidSignature(signature, for: Self.input, algorithm: allowed))

            var flipped = signature
            flipped[flipped.count / 2] ^= 0x01
            #expect(!key.isValidSignature(flipped, for: Self.input, algorithm: allowed))
            var changedInput = Self.input
            changedInput[0] ^= 0x20
            #expect(!key.isValidSignature(signature, for: changedInput, algorithm: allowed))
            #expect(!key.isValidSignature(signature + [0], for: Self.input, algorithm: allowed))
            #expect(!key.isValidSignature(Array(signature.dropLast()), for: Self.input, algorithm: allowed))
            #expect(!key.isValidSignature([], for: Self.input, algorithm: allowed))

            // The public half verifies too, and cannot sign.
            if let jwk = key.publicJWK() {
                let publicKey = try Key(jwk: jwk)
                #expect(!publicKey.isPrivate)
                #expect(publicKey.isValidSignature(signature, for: Self.input, algorithm: allowed))
                #expect(throws: TokenError(.keyUnsuitable, "")) {
                    try publicKey.signature(for: Self.input, algorithm: allowed)
                }
            }
        }
        // Every algorithm outside the allowed list is refused both ways.
        let someSignature = try key.signature(for: Self.input, algorithm: key.defaultAlgorithm)
        for other in Algorithm.all where !key.allowedAlgorithms.contains(other) {
            #expect(throws: TokenError(.keyUnsuitable, "")) { try key.signature(for: Self.input, algorithm: other) }
            #expect(!key.isValidSignature(someSignature, for: Self.input, algorithm: other))
        }
    }

    @Test("generated keys have the expected types")
    func types() throws {
        #expect(try Key.generate(for: .rs256).type == .rsa(bits: 2048))
        #expect(try Key.generate(for: .ps384, rsaBits: 3072).type == .rsa(bits: 3072))
        #expect(try Key.generate(for: .es256).type == .ec(curve: .p256))
        #expect(try Key.generate(for: .es384).type == .ec(curve: .p384))
        #expect(try Key.generate(for: .es512).type == .ec(curve: .p521))
        #expect(try Key.generate(for: .es256k).type == .ec(curve: .secp256k1))
        #expect(try Key.generate(for: .edDSA).type == .okp(curve: .ed25519))
        #expect(try Key.generate(for: .ed25519).type == .okp(curve: .ed25519))
        #expect(try Key.generate(for: .ed448).type == .okp(curve: .ed448))
        #expect(try Key.generate(for: .hs256).type == .oct(byteCount: 32))
        #expect(try Key.generate(for: .hs384).type == .oct(byteCount: 48))
        #expect(try Key.generate(for: .hs512).type == .oct(byteCount: 64))
    }

    @Test("RSA sizes are bounded")
    func rsaBounds() {
        #expect(throws: TokenError(.weakKey, "")) { try Key.generate(for: .rs256, rsaBits: 1024) }
        #expect(throws: TokenError(.invalidValue, "")) { try Key.generate(for: .rs256, rsaBits: 20000) }
    }

    @Test("two generated secrets differ")
    func randomSecrets() throws {
        let first = try Key.generate(for: .hs256).privateJWK()
        let second = try Key.generate(for: .hs256).privateJWK()
        #expect(first["k"] != second["k"])
    }
}
