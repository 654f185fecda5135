import Foundation
import Testing

@testable import TokenKit

/// HMAC without a fetch (issue 12): ``HMACContext`` through OpenSSL's `HMAC_CTX` over the
/// built-in SHA-2 (`builtin`) must give the codes of the providers' `EVP_MAC` and of an
/// independent implementation, for every key length (shorter and longer than a block),
/// message length and digest, keyed once and used again and again.
@Suite("Issue 12 HMAC without a fetch")
struct Issue12BuiltinHMACTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// The code of each message in turn through one context keyed with `key`; `nil` when OpenSSL fails.
    static func codes(_ messages: [[UInt8]], key: [UInt8], digest: DigestKind, builtin: Bool) -> [[UInt8]]? {
        guard let context = key.withUnsafeBytes({ HMACContext.keyed(digest: digest, key: $0, builtin: builtin) }) else {
            return nil
        }
        defer { context.free() }
        var codes: [[UInt8]] = []
        for message in messages {
            var out = [UInt8](repeating: 0, count: digest.byteCount)
            let ok = message.withUnsafeBytes { data in out.withUnsafeMutableBytes { context.authenticationCode(of: data, into: $0) } }
            guard ok else { return nil }
            codes.append(out)
        }
        return codes
    }

    // RFC 4231 test cases 1, 2 and 6 (a 131-byte key, longer than any block, hashed first) and
    // an empty key and message; the codes computed with Python's hmac module.
    static let known: [(key: [UInt8], message: String, digest: DigestKind, code: String)] = [
        ([UInt8](repeating: 0x0B, count: 20), "Hi There", .sha256,
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        ([UInt8](repeating: 0x0B, count: 20), "Hi There", .sha384,
         "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6"),
        ([UInt8](repeating: 0x0B, count: 20), "Hi There", .sha512,
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4"
            + "be9d914eeb61f1702e696c203a126854"),
        (Array("Jefe".utf8), "what do ya want for nothing?", .sha256,
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (Array("Jefe".utf8), "what do ya want for nothing?", .sha384,
         "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
        ([UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First", .sha256,
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
        ([UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First", .sha384,
         "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952"),
        ([UInt8](repeating: 0xAA, count: 131), "Test Using Larger Than Block-Size Key - Hash Key First", .sha512,
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e52"
            + "95e64f73f63f0aec8b915a985d786598"),
        ([], "", .sha256, "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad"),
        ([], "", .sha512,
         "b936cee86c9f87aa5d3c6f2e84cb5a4239a5fe50480a6ec66b70ab5b1f4ac6730c6c515421b327ec1d69402e53dfb49a"
            + "d7381eb067b338fd7b0cb22247225d47"),
    ]

    @Test("both paths give the known codes, the same message three times over one context")
    func knownCodes() throws {
        for (key, message, digest, code) in Self.known {
            for builtin in [true, false] {
                let codes = try #require(Self.codes(Array(repeating: Array(message.utf8), count: 3), key: key, digest: digest, builtin: builtin))
                #expect(codes.map(Self.hex) == [code, code, code], "\(digest) key \(key.count) builtin \(builtin)")
            }
        }
    }

    @Test("keys of 0 to 200 bytes and messages of 0 to 300 bytes: the built-in path agrees with the providers'")
    func pathsAgree() throws {
        var generator = SystemRandomNumberGenerator()
        func random(_ count: Int) -> [UInt8] { (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        for digest in [DigestKind.sha256, .sha384, .sha512] {
            for keyLength in [0, 1, 31, 32, 63, 64, 65, 127, 128, 129, 200] {
                let key = random(keyLength)
                let messages = (0...300).map { random($0) }
                let builtin = try #require(Self.codes(messages, key: key, digest: digest, builtin: true))
                let providers = try #require(Self.codes(messages, key: key, digest: digest, builtin: false))
                #expect(builtin == providers, "\(digest) key \(keyLength)")
            }
        }
    }

    @Test("a tag verifies through the pool, and a changed tag or message does not")
    func poolVerifies() throws {
        let secret = SecretBytes(copying: Array("a secret of thirty-two bytes, ok".utf8))
        let message = Array("header.payload".utf8)
        for digest in [DigestKind.sha256, .sha384, .sha512] {
            let tag = try secret.withUnsafeBytes { try HMACBackend.authenticationCode(digest: digest, key: $0, data: message) }
            let expected = try #require(secret.withUnsafeBytes { key in
                Self.codes([message], key: Array(key), digest: digest, builtin: false)?.first
            })
            #expect(tag == expected)
            var changed = tag
            changed[0] ^= 1
            func valid(_ tag: [UInt8], _ message: [UInt8]) -> Bool {
                tag.withUnsafeBytes { tag in
                    message.withUnsafeBytes { secret.hmacContexts.isValidTag(tag, digest: digest, key: secret, data: $0) }
                }
            }
            #expect(valid(tag, message))
            #expect(!valid(changed, message))
            #expect(!valid(tag, message + [0x2E]))
            #expect(valid(tag, message), "the context still restarts from the keyed state after a mismatch")
        }
    }
}
