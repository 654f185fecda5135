import Foundation
import Testing
@testable import TokenKit

/// The key fixtures of Vectors/keys (see its README).
enum KeyFixtures {
    static func bytes(_ name: String) throws -> [UInt8] {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Vectors/keys"),
            "missing fixture \(name)")
        return Array(try Data(contentsOf: url))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    static func key(_ name: String, password: String? = nil) throws -> Key {
        try Key(pemRepresentation: try text(name), password: password.map { Array($0.utf8) })
    }
}

@Suite("Key loading (PEM and KeySource)")
struct KeyLoadingTests {
    @Test("every PEM format loads with the right type and privacy", arguments: [
        ("rsa2048.pkcs8.pem", Key.KeyType.rsa(bits: 2048), true),
        ("rsa2048.pkcs1.pem", .rsa(bits: 2048), true),
        ("rsa2048.spki.pem", .rsa(bits: 2048), false),
        ("rsa2048.pkcs1-public.pem", .rsa(bits: 2048), false),
        ("p256.pkcs8.pem", .ec(curve: .p256), true),
        ("p256.sec1.pem", .ec(curve: .p256), true),
        ("p256.spki.pem", .ec(curve: .p256), false),
        ("p256.cert.pem", .ec(curve: .p256), false),
        ("p384.ecparam-sec1.pem", .ec(curve: .p384), true),
        ("secp256k1.pkcs8.pem", .ec(curve: .secp256k1), true),
        ("ed25519.pkcs8.pem", .okp(curve: .ed25519), true),
        ("ed25519.spki.pem", .okp(curve: .ed25519), false),
        ("ed448.pkcs8.pem", .okp(curve: .ed448), true),
    ])
    func loadsFormats(name: String, type: Key.KeyType, isPrivate: Bool) throws {
        let key = try KeyFixtures.key(name)
        #expect(key.type == type)
        #expect(key.isPrivate == isPrivate)
    }

    @Test("all forms of one key share one thumbprint")
    func sameKeyEveryForm() throws {
        let rsa = try ["rsa2048.pkcs8.pem", "rsa2048.pkcs1.pem", "rsa2048.spki.pem", "rsa2048.pkcs1-public.pem"]
            .map { try KeyFixtures.key($0).thumbprint() }
        #expect(Set(rsa).count == 1)
        let ec = try ["p256.pkcs8.pem", "p256.sec1.pem", "p256.spki.pem", "p256.cert.pem"]
            .map { try KeyFixtures.key($0).thumbprint() }
            + [try KeyFixtures.key("p256.encrypted.pem", password: "fixture-password").thumbprint()]
        #expect(Set(ec).count == 1)
    }

    @Test("encrypted PKCS#8 needs the right password")
    func encryptedPEM() throws {
        let key = try KeyFixtures.key("p256.encrypted.pem", password: "fixture-password")
        #expect(key.isPrivate)
        #expect(key.type == .ec(curve: .p256))
        let missing = #expect(throws: TokenError(.malformedKey, "")) { try KeyFixtures.key("p256.encrypted.pem") }
        #expect(missing?.remedy == .giveKeyPassword)
        #expect(missing?.reason.contains("--") == false)
        #expect(throws: TokenError(.malformedKey, "")) {
            try KeyFixtures.key("p256.encrypted.pem", password: "wrong-password")
        }
        #expect(throws: TokenError(.malformedKey, "")) { try KeyFixtures.key("p256.encrypted.pem", password: "") }
    }

    @Test("legacy PEM encryption needs the right password too")
    func legacyEncryptedPEM() throws {
        let key = try KeyFixtures.key("p256.sec1-encrypted.pem", password: "fixture-password")
        #expect(key.thumbprint() == (try KeyFixtures.key("p256.spki.pem").thumbprint()))
        #expect(throws: TokenError(.malformedKey, "")) { try KeyFixtures.key("p256.sec1-encrypted.pem") }
        #expect(throws: TokenError(.malformedKey, "")) {
            try KeyFixtures.key("p256.sec1-encrypted.pem", password: "wrong-password")
        }
    }

    @Test("CRLF line endings and text around the block are accepted")
    func crlfAndSurroundingText() throws {
        let pem = try KeyFixtures.text("ed25519.pkcs8.pem").replacingOccurrences(of: "\n", with: "\r\n")
        let key = try Key(pemRepresentation: "Bag Attributes\r\n    friendlyName: test\r\n" + pem + "trailing\r\n")
        #expect(key.thumbprint() == (try KeyFixtures.key("ed25519.spki.pem").thumbprint()))
    }

    @Test("RSA under 2048 bits is weak")
    func weakRSA() throws {
        #expect(throws: TokenError(.weakKey, "")) { try KeyFixtures.key("rsa1024.pkcs8.pem") }
    }

    @Test("X25519 cannot sign")
    func x25519() throws {
        #expect(throws: TokenError(.malformedKey, "")) { try KeyFixtures.key("x25519.pkcs8.pem") }
    }

    @Test("damaged or empty PEM is malformed", arguments: [
        "", "hello", "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
        "-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n",
        "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n",
        "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n",
    ])
    func damagedPEM(text: String) {
        #expect(throws: TokenError(.malformedKey, "")) { try Key(pemRepresentation: text) }
    }

    @Test("PEM exports load back")
    func pemRoundTrip() throws {
        for name in ["rsa2048.pkcs1.pem", "p256.sec1.pem", "ed25519.pkcs8.pem", "ed448.pkcs8.pem", "secp256k1.pkcs8.pem"] {
            let key = try KeyFixtures.key(name)
            let privatePEM = try key.privatePEM()
            #expect(privatePEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
            let publicPEM = try key.publicPEM()
            #expect(publicPEM.hasPrefix("-----BEGIN PUBLIC KEY-----\n"))
            let reloaded = try Key(pemRepresentation: privatePEM)
            #expect(reloaded.isPrivate)
            #expect(reloaded.thumbprint() == key.thumbprint())
            let reloadedPublic = try Key(pemRepresentation: publicPEM)
            #expect(!reloadedPublic.isPrivate)
            #expect(reloadedPublic.thumbprint() == key.thumbprint())
        }
        let publicOnly = try KeyFixtures.key("p256.spki.pem")
        #expect(throws: TokenError(.keyUnsuitable, "")) { try publicOnly.privatePEM() }
        let secret = try Key(hmacSecret: Array(repeating: 7, count: 31) + [8])
        #expect(throws: TokenError(.keyUnsuitable, "")) { try secret.publicPEM() }
        #expect(throws: TokenError(.keyUnsuitable, "")) { try secret.privatePEM() }
    }

    @Test("KeySource detects PEM, JWK and JWKS by content")
    func detectsFormats() throws {
        let pem = try KeySource.keys(from: try KeyFixtures.bytes("p384.ecparam-sec1.pem"))
        #expect(pem.map(\.type) == [.ec(curve: .p384)])

        let ec = try KeyFixtures.key("p256.pkcs8.pem")
        let jwk = try #require(ec.publicJWK())
        let fromJWK = try KeySource.keys(from: Array(("\n  " + jwk.serialized).utf8))
        #expect(fromJWK.map { $0.thumbprint() } == [ec.thumbprint()])

        let ed = try KeyFixtures.key("ed25519.pkcs8.pem")
        let set = JWKSet(keys: [ec, ed]).publicJSON()
        let fromJWKS = try KeySource.keys(from: Array(JSONValue.object(set).prettyPrinted().utf8))
        #expect(fromJWKS.map { $0.thumbprint() } == [ec.thumbprint(), ed.thumbprint()])
        #expect(fromJWKS.allSatisfy { !$0.isPrivate })
    }

    @Test("KeySource reads every key block of a PEM bundle and decrypts with the password")
    func pemBundle() throws {
        let bundle = try KeyFixtures.text("p256.cert.pem") + "\n" + KeyFixtures.text("rsa2048.spki.pem")
        let keys = try KeySource.keys(from: Array(bundle.utf8))
        #expect(keys.map(\.type) == [.ec(curve: .p256), .rsa(bits: 2048)])
        let encrypted = try KeySource.keys(
            from: try KeyFixtures.bytes("p256.encrypted.pem"), password: Array("fixture-password".utf8))
        #expect(encrypted.first?.isPrivate == true)
    }

    @Test("KeySource skips unknown JWKS members but needs one usable key")
    func jwksSkipping() throws {
        let ed = try #require(try KeyFixtures.key("ed25519.pkcs8.pem").publicJWK())
        let text = """
            {"keys":[{"kty":"RSA","use":"enc","alg":"RSA-OAEP","n":"AQAB","e":"AQAB"},
            {"kty":"weird","x":"1"},{"kty":"OKP","crv":"X25519","x":"AAAA"},\(ed.serialized)]}
            """
        let keys = try KeySource.keys(from: Array(text.utf8))
        #expect(keys.map(\.type) == [.okp(curve: .ed25519)])
        #expect(throws: TokenError(.malformedKey, "")) {
            try KeySource.keys(from: Array(#"{"keys":[{"kty":"weird"}]}"#.utf8))
        }
        #expect(throws: TokenError(.malformedKey, "")) { try KeySource.keys(from: Array(#"{"keys":[]}"#.utf8)) }
        #expect(throws: TokenError(.malformedKey, "")) { try KeySource.keys(from: Array(#"{"keys":{}}"#.utf8)) }
    }

    @Test("KeySource refuses garbage", arguments: [
        "", "garbage", "{", "{\"a\":1}", "[1,2]", "{\"kty\":\"RSA\"}", "ssh-ed25519 AAAA user@host",
        "{\"keys\":[1]}",
    ])
    func refusesGarbage(text: String) {
        #expect(throws: TokenError(.malformedKey, "")) { try KeySource.keys(from: Array(text.utf8)) }
    }

    @Test("KeySource refuses DER and oversized input")
    func refusesDERAndHugeInput() throws {
        #expect(throws: TokenError(.malformedKey, "")) { try KeySource.keys(from: [0x30, 0x82, 0x01, 0x0A]) }
        let huge = [UInt8](repeating: 0x20, count: KeySource.maximumByteCount + 1)
        #expect(throws: TokenError(.malformedKey, "")) { try KeySource.keys(from: huge) }
    }
}
