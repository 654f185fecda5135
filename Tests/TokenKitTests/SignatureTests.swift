import Testing
@testable import TokenKit

@Suite("Signatures")
struct SignatureTests {
    static func message() throws -> [UInt8] { try KeyFixtures.bytes("message.txt") }

    @Test("signatures made by openssl verify", arguments: [
        ("rsa2048.spki.pem", "message.rs256.sig", Algorithm.rs256),
        ("rsa2048.pkcs1-public.pem", "message.ps256.sig", .ps256),
        ("p256.spki.pem", "message.es256.raw.sig", .es256),
        ("p256.cert.pem", "message.es256.raw.sig", .es256),
        ("ed25519.spki.pem", "message.ed25519.sig", .edDSA),
        ("ed25519.spki.pem", "message.ed25519.sig", .ed25519),
    ])
    func opensslSignatures(keyName: String, signatureName: String, algorithm: Algorithm) throws {
        let key = try KeyFixtures.key(keyName)
        let signature = try KeyFixtures.bytes(signatureName)
        let message = try Self.message()
        #expect(key.isValidSignature(signature, for: message, algorithm: algorithm))
        #expect(!key.isValidSignature(signature, for: message + [0x2E], algorithm: algorithm))
    }

    @Test("RS256 is deterministic: TokenKit makes openssl's exact signature")
    func rs256Deterministic() throws {
        let key = try KeyFixtures.key("rsa2048.pkcs8.pem")
        #expect(try key.signature(for: try Self.message(), algorithm: .rs256) == KeyFixtures.bytes("message.rs256.sig"))
    }

    @Test("PS256 with a salt shorter than the hash is rejected")
    func pssSaltLength() throws {
        let key = try KeyFixtures.key("rsa2048.spki.pem")
        let signature = try KeyFixtures.bytes("message.ps256-salt20.sig")
        #expect(!key.isValidSignature(signature, for: try Self.message(), algorithm: .ps256))
    }

    @Test("an RS256 signature is not a PS256 one and vice versa")
    func paddingIsPinned() throws {
        let key = try KeyFixtures.key("rsa2048.spki.pem")
        let message = try Self.message()
        #expect(!key.isValidSignature(try KeyFixtures.bytes("message.rs256.sig"), for: message, algorithm: .ps256))
        #expect(!key.isValidSignature(try KeyFixtures.bytes("message.ps256.sig"), for: message, algorithm: .rs256))
        #expect(!key.isValidSignature(try KeyFixtures.bytes("message.rs256.sig"), for: message, algorithm: .rs384))
    }

    @Test("DER-encoded ECDSA is not a JWS signature")
    func derRejected() throws {
        let key = try KeyFixtures.key("p256.spki.pem")
        let der = try KeyFixtures.bytes("message.es256.der.sig")
        #expect(der.first == 0x30)
        #expect(!key.isValidSignature(der, for: try Self.message(), algorithm: .es256))
    }

    @Test("ECDSA signatures are raw R||S of twice the coordinate size", arguments: [
        (Algorithm.es256, 64), (.es384, 96), (.es512, 132), (.es256k, 64),
    ])
    func ecdsaLengths(algorithm: Algorithm, length: Int) throws {
        let key = try Key.generate(for: algorithm)
        for _ in 0..<8 {  // short r or s must still be padded
            let signature = try key.signature(for: [1, 2, 3], algorithm: algorithm)
            #expect(signature.count == length)
            #expect(key.isValidSignature(signature, for: [1, 2, 3], algorithm: algorithm))
        }
    }

    @Test("psychic signatures (CVE-2022-21449) and out-of-range r, s are rejected", arguments: Array(ECCurve.allCases))
    func outOfRange(curve: ECCurve) throws {
        let algorithm: Algorithm = [.p256: .es256, .p384: .es384, .p521: .es512, .secp256k1: .es256k][curve]!
        let key = try Key.generate(for: algorithm)
        let message: [UInt8] = Array("header.payload".utf8)
        let valid = try key.signature(for: message, algorithm: algorithm)
        let size = curve.coordinateByteCount
        let r = Array(valid[..<size])
        let s = Array(valid[size...])
        let zero = [UInt8](repeating: 0, count: size)
        let order = curve.order
        #expect(order.count == size)
        let bad: [[UInt8]] = [
            zero + zero, zero + s, r + zero, order + s, r + order, order + order,
            [UInt8](repeating: 0xFF, count: 2 * size),
        ]
        for signature in bad {
            #expect(!key.isValidSignature(signature, for: message, algorithm: algorithm))
        }
        #expect(key.isValidSignature(valid, for: message, algorithm: algorithm))
        // ECDSA is malleable: (r, n - s) verifies as well. Never use an ECDSA signature as
        // a token id; this documents the behaviour rather than requiring it.
        let negated = Self.subtract(order, s)
        #expect(key.isValidSignature(r + negated, for: message, algorithm: algorithm))
    }

    /// a - b for big-endian byte strings of equal length with a > b.
    static func subtract(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: a.count)
        var borrow = 0
        for index in stride(from: a.count - 1, through: 0, by: -1) {
            var difference = Int(a[index]) - Int(b[index]) - borrow
            borrow = difference < 0 ? 1 : 0
            if difference < 0 { difference += 256 }
            result[index] = UInt8(difference)
        }
        return result
    }

    @Test("HS256 matches RFC 7515 appendix A.1")
    func rfc7515HS256() throws {
        let k = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
        let key = try Key(jwk: JSONObject([("kty", .string("oct")), ("k", .string(k))]))
        let input = Array(
            ("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
                + ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ").utf8)
        let expected = try Base64URL.decode("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        #expect(try key.signature(for: input, algorithm: .hs256) == expected)
        #expect(key.isValidSignature(expected, for: input, algorithm: .hs256))
        #expect(!key.isValidSignature(Array(expected.prefix(16)), for: input, algorithm: .hs256))
        #expect(!key.isValidSignature(expected, for: input, algorithm: .hs384))
    }

    @Test("a public key's signature check does not throw on garbage")
    func garbageNeverThrows() throws {
        for name in ["rsa2048.spki.pem", "p256.spki.pem", "ed25519.spki.pem", "ed448.pkcs8.pem"] {
            let key = try KeyFixtures.key(name)
            for algorithm in Algorithm.all {
                for length in [0, 1, 64, 65, 114, 132, 256, 512] {
                    let garbage = [UInt8](repeating: 0xA5, count: length)
                    #expect(!key.isValidSignature(garbage, for: [], algorithm: algorithm))
                }
            }
        }
    }

    @Test("empty input signs and verifies")
    func emptyInput() throws {
        for algorithm in [Algorithm.hs256, .es256, .edDSA, .ed448] {
            let key = try Key.generate(for: algorithm)
            let signature = try key.signature(for: [], algorithm: algorithm)
            #expect(key.isValidSignature(signature, for: [], algorithm: algorithm))
        }
    }
}
