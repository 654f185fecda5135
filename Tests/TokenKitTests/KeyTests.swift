import Testing
@testable import TokenKit

@Suite("Key")
struct KeyTests {
    @Test("keys are values: changing a copy's kid, alg, use or key_ops leaves the original as it was")
    func copiesAreIndependent() throws {
        var random = SplitMix64(state: 32)
        var original = try Key(hmacSecret: (0..<32).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        original.kid = "first"
        original.use = "sig"
        let before = original
        var copy = original
        copy.kid = "second"
        copy.algorithm = .hs384
        copy.use = "enc"
        copy.keyOperations = ["verify"]
        #expect(original.kid == "first" && original.algorithm == nil && original.use == "sig" && original.keyOperations == nil)
        #expect(before.kid == "first")
        #expect(copy.kid == "second" && copy.algorithm == .hs384 && copy.use == "enc" && copy.keyOperations == ["verify"])
        // Copies hold the same secret: a tag made with one verifies with another.
        let data = Array("message".utf8)
        let tag = try original.signature(for: data, algorithm: .hs256)
        var unpinned = copy
        unpinned.algorithm = nil
        #expect(unpinned.isValidSignature(tag, for: data, algorithm: .hs256))
        #expect(copy.algorithm == .hs384 && !copy.isValidSignature(tag, for: data, algorithm: .hs256))
        // A key no other copy shares is changed in place, and keeps its other parts.
        copy.kid = nil
        #expect(copy.kid == nil && copy.use == "enc" && copy.algorithm == .hs384)
    }

    @Test("allowed algorithms are bound to the key type (RFC 8725 §3.1)")
    func allowedAlgorithms() throws {
        #expect(try KeyFixtures.key("rsa2048.spki.pem").allowedAlgorithms == [.rs256, .rs384, .rs512, .ps256, .ps384, .ps512])
        #expect(try KeyFixtures.key("p256.spki.pem").allowedAlgorithms == [.es256])
        #expect(try KeyFixtures.key("p384.ecparam-sec1.pem").allowedAlgorithms == [.es384])
        #expect(try KeyFixtures.key("secp256k1.pkcs8.pem").allowedAlgorithms == [.es256k])
        #expect(try KeyFixtures.key("ed25519.spki.pem").allowedAlgorithms == [.edDSA, .ed25519])
        #expect(try KeyFixtures.key("ed448.pkcs8.pem").allowedAlgorithms == [.edDSA, .ed448])
        #expect(try Key(hmacSecret: Array(repeating: 1, count: 31) + [2]).allowedAlgorithms == [.hs256])
        #expect(try Key(hmacSecret: Array(repeating: 1, count: 47) + [2]).allowedAlgorithms == [.hs256, .hs384])
        #expect(try Key(hmacSecret: Array(repeating: 1, count: 99) + [2]).allowedAlgorithms == [.hs256, .hs384, .hs512])
    }

    @Test("a set algorithm narrows the list; one that does not fit empties it")
    func narrowing() throws {
        var key = try KeyFixtures.key("rsa2048.spki.pem")
        key.algorithm = .ps512
        #expect(key.allowedAlgorithms == [.ps512])
        #expect(key.defaultAlgorithm == .ps512)
        key.algorithm = .es256
        #expect(key.allowedAlgorithms.isEmpty)
        #expect(key.defaultAlgorithm == .rs256)
    }

    @Test("default algorithms")
    func defaults() throws {
        #expect(try KeyFixtures.key("rsa2048.spki.pem").defaultAlgorithm == .rs256)
        #expect(try KeyFixtures.key("p384.ecparam-sec1.pem").defaultAlgorithm == .es384)
        #expect(try KeyFixtures.key("ed448.pkcs8.pem").defaultAlgorithm == .edDSA)
        #expect(try Key(hmacSecret: Array(repeating: 1, count: 63) + [2]).defaultAlgorithm == .hs256)
    }

    @Test("description names the key, never its material")
    func description() throws {
        var key = try KeyFixtures.key("p256.pkcs8.pem")
        key.kid = "abc"
        #expect(key.description == "EC P-256 private key (kid abc)")
        #expect(try KeyFixtures.key("rsa2048.spki.pem").description == "RSA 2048-bit public key")
        let secret = try Key(hmacSecret: Array("an HMAC secret that is long enough!!".utf8))
        #expect(secret.description == "HMAC secret (36 bytes)")
        #expect(!"\(secret)".contains("long enough"))
    }

    @Test("HMAC secrets: length and public-key guard")
    func hmacSecrets() throws {
        #expect(throws: TokenError(.weakKey, "")) { try Key(hmacSecret: Array(repeating: 1, count: 31)) }
        #expect(throws: TokenError(.weakKey, "")) { try Key(hmacSecret: []) }
        #expect(try Key(hmacSecret: Array(repeating: 1, count: 31) + [2]).type == .oct(byteCount: 32))
        // PyJWT-style algorithm confusion: public key bytes must never be an HMAC secret.
        for name in ["rsa2048.spki.pem", "p256.spki.pem", "p256.cert.pem", "rsa2048.pkcs1-public.pem"] {
            #expect(throws: TokenError(.keyUnsuitable, "")) { try Key(hmacSecret: try KeyFixtures.bytes(name)) }
        }
        let ssh = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGb9ybTwT5Jv3Yh4MRXgB6Mf0TYAHxfTDPG2ovpbwuEk user@host"
        #expect(throws: TokenError(.keyUnsuitable, "")) { try Key(hmacSecret: Array(ssh.utf8)) }
        let rsaSSH = "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQC7 user@host"
        #expect(throws: TokenError(.keyUnsuitable, "")) { try Key(hmacSecret: Array(rsaSSH.utf8)) }
        // The DER form of a public key is refused too.
        let pem = try KeyFixtures.text("p256.spki.pem")
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let der = try Base64URL.decode(body.replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: ""))
        #expect(throws: TokenError(.keyUnsuitable, "")) { try Key(hmacSecret: der) }
    }
}
