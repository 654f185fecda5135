import Foundation
import Testing
@testable import TokenKit

/// The one-shot key path (issue 12): common PEM keys are read with OpenSSL's typed decoders
/// instead of its generic decoder chain, and must give exactly what the generic path gives:
/// the same key, or the same refusal.
@Suite("Issue 12 one-shot key reading")
struct Issue12OneShotKeyTests {
    static func block(_ name: String) throws -> PEMBlock {
        try #require(PEMBlock.blocks(in: try KeyFixtures.bytes(name)).first { $0.content != nil })
    }

    /// A PEM block of `label` around `der`, 64 base64 characters a line.
    static func armored(_ label: String, _ der: [UInt8]) -> [UInt8] {
        let body = Data(der).base64EncodedString(options: [.lineLength64Characters, .endLineWithLineFeed])
        return Array("-----BEGIN \(label)-----\n\(body)\n-----END \(label)-----\n".utf8)
    }

    /// The DER inside a fixture's first key block.
    static func der(_ name: String) throws -> [UInt8] {
        let lines = try KeyFixtures.text(name).split(separator: "\n").filter { !$0.hasPrefix("-----") }
        return Array(try #require(Data(base64Encoded: lines.joined())))
    }

    /// The outcome of reading a block one way: the key's public and private PEM, or the error.
    static func outcome(_ read: () throws -> EVPKey) -> String {
        do {
            let key = try read()
            return "\(key.kind) private=\(key.isPrivate)\n\(try key.publicPEM())" + (key.isPrivate ? try key.privatePEM() : "")
        } catch let error as TokenError {
            return "\(error.code): \(error.reason)"
        } catch {
            return "\(error)"
        }
    }

    @Test("the typed path reads the common unencrypted forms, and leaves every other form to the generic path",
          arguments: [
            ("p256.pkcs8.pem", true), ("p256.sec1.pem", true), ("secp256k1.pkcs8.pem", true),
            ("rsa2048.pkcs8.pem", true), ("rsa2048.pkcs1.pem", true), ("ed25519.pkcs8.pem", true),
            ("ed448.pkcs8.pem", true), ("rsa1024.pkcs8.pem", true), ("p256.spki.pem", true),
            ("rsa2048.spki.pem", true), ("ed25519.spki.pem", true),
            ("p256.encrypted.pem", false), ("p256.sec1-encrypted.pem", false), ("rsa2048.pkcs1-public.pem", false),
            ("p256.cert.pem", false), ("x25519.pkcs8.pem", false),
          ])
    func typedPathCoverage(name: String, typed: Bool) throws {
        let block = try Self.block(name)
        let content = try #require(block.content)
        let pointer = EVPKey.readTyped(pemBlock: block.bytes, content: content)
        #expect((pointer != nil) == typed, "\(name)")
        if let pointer { _ = try? EVPKey.adopt(pointer, isPrivate: content == .privateKey) }
    }

    @Test("every fixture key reads to the same key, or fails with the same error, both ways", arguments: [
        "p256.pkcs8.pem", "p256.sec1.pem", "p384.ecparam-sec1.pem", "secp256k1.pkcs8.pem", "rsa2048.pkcs8.pem",
        "rsa2048.pkcs1.pem", "ed25519.pkcs8.pem", "ed448.pkcs8.pem", "rsa1024.pkcs8.pem", "x25519.pkcs8.pem",
        "p256.spki.pem", "rsa2048.spki.pem", "ed25519.spki.pem", "rsa2048.pkcs1-public.pem", "p256.cert.pem",
    ])
    func sameAsGeneric(name: String) throws {
        let block = try Self.block(name)
        let content = try #require(block.content)
        let fast = Self.outcome { try EVPKey.read(pemBlock: block.bytes, content: content, password: nil) }
        let generic = Self.outcome { try EVPKey.readGeneric(pemBlock: block.bytes, content: content, password: nil) }
        #expect(fast == generic, "\(name)")
    }

    @Test("DER with bytes after the key is left to the generic path, which decides as before")
    func trailingBytes() throws {
        for trailer: [UInt8] in [[0x05, 0x00], [0x00, 0x01]] {
            for (name, label, content) in [("p256.pkcs8.pem", "PRIVATE KEY", PEMContent.privateKey),
                                           ("p256.spki.pem", "PUBLIC KEY", .publicKey),
                                           ("rsa2048.pkcs1.pem", "RSA PRIVATE KEY", .privateKey)] {
                let text = Self.armored(label, try Self.der(name) + trailer)
                #expect(EVPKey.readTyped(pemBlock: text, content: content) == nil, "\(name) \(trailer)")
                let fast = Self.outcome { try EVPKey.read(pemBlock: text, content: content, password: nil) }
                let generic = Self.outcome { try EVPKey.readGeneric(pemBlock: text, content: content, password: nil) }
                #expect(fast == generic, "\(name) \(trailer)")
            }
        }
    }

    @Test("a label that does not match its DER is not read by the typed path")
    func mismatchedLabel() throws {
        let spkiAsPrivate = Self.armored("PRIVATE KEY", try Self.der("p256.spki.pem"))
        #expect(EVPKey.readTyped(pemBlock: spkiAsPrivate, content: .privateKey) == nil)
        let sec1AsPKCS8 = Self.armored("PRIVATE KEY", try Self.der("p256.sec1.pem"))
        #expect(EVPKey.readTyped(pemBlock: sec1AsPKCS8, content: .privateKey) == nil)
        let rsaAsEC = Self.armored("EC PRIVATE KEY", try Self.der("rsa2048.pkcs1.pem"))
        #expect(EVPKey.readTyped(pemBlock: rsaAsEC, content: .privateKey) == nil)
        for (text, content) in [(spkiAsPrivate, PEMContent.privateKey), (sec1AsPKCS8, .privateKey), (rsaAsEC, .privateKey)] {
            let fast = Self.outcome { try EVPKey.read(pemBlock: text, content: content, password: nil) }
            let generic = Self.outcome { try EVPKey.readGeneric(pemBlock: text, content: content, password: nil) }
            #expect(fast == generic)
        }
    }

    @Test("the PKCS#8 algorithm is read from the DER, and every truncation or unknown OID gives nil")
    func pkcs8Type() throws {
        func type(_ name: String) throws -> Int32? {
            try Self.der(name).withUnsafeBufferPointer { EVPKey.pkcs8KeyType($0) }
        }
        let ec = try #require(try type("p256.pkcs8.pem"))
        #expect(try type("secp256k1.pkcs8.pem") == ec)
        let others = [try type("rsa2048.pkcs8.pem"), try type("ed25519.pkcs8.pem"), try type("ed448.pkcs8.pem")]
        #expect(Set(others.compactMap { $0 } + [ec]).count == 4, "four distinct key types")
        #expect(try type("x25519.pkcs8.pem") == nil)
        #expect(try type("p256.sec1.pem") == nil)
        for name in ["p256.pkcs8.pem", "rsa2048.pkcs8.pem", "ed25519.pkcs8.pem"] {
            let der = try Self.der(name), expected = try type(name)
            // Every prefix gives nil or the full answer, and never reads out of bounds.
            for length in 0..<min(der.count, 24) {
                let prefix = Array(der.prefix(length))
                let found = prefix.withUnsafeBufferPointer { EVPKey.pkcs8KeyType($0) }
                #expect(found == nil || found == expected, "\(name) prefix \(length)")
            }
        }
        // Long-form lengths that run past the end, and a five-byte length, are refused.
        for bytes: [UInt8] in [[0x30, 0x84, 0xFF, 0xFF, 0xFF, 0xFF], [0x30, 0x85, 1, 0, 0, 0, 0], [0x30, 0x80], [0x30]] {
            #expect(bytes.withUnsafeBufferPointer { EVPKey.pkcs8KeyType($0) } == nil)
        }
    }
}

@Suite("Issue 12 legacy PEM cipher")
struct Issue12LegacyPEMCipherTests {
    @Test("the DEK-Info cipher name is read from a legacy encrypted block, and nothing from other blocks")
    func dekInfo() throws {
        let block = try Issue12OneShotKeyTests.block("p256.sec1-encrypted.pem")
        #expect(EVPKey.legacyPEMCipherName(block.bytes) == "AES-256-CBC")
        let plain = try Issue12OneShotKeyTests.block("p256.sec1.pem")
        #expect(EVPKey.legacyPEMCipherName(plain.bytes) == nil)
        let pkcs8 = try Issue12OneShotKeyTests.block("p256.encrypted.pem")
        #expect(EVPKey.legacyPEMCipherName(pkcs8.bytes) == nil)
        let odd = Array("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info:  DES-EDE3-CBC,0011\n".utf8)
        #expect(EVPKey.legacyPEMCipherName(odd) == "DES-EDE3-CBC")
    }
}

@Suite("Issue 12 OpenSSL error codes")
struct Issue12OpenSSLErrorCodeTests {
    @Test("an error code without its text is written as 8 hex digits with the openssl errstr command")
    func codeText() {
        #expect(OpenSSLError.codeText(0x1E08_010C) == "error:1E08010C; openssl errstr 1E08010C prints its text")
        #expect(OpenSSLError.codeText(0x10C) == "error:0000010C; openssl errstr 0000010C prints its text")
    }
}

@Suite("Issue 12 EC public keys from SPKI")
struct Issue12ECPublicKeyTests {
    static func outcome(_ text: [UInt8]) -> (fast: String, generic: String) {
        (Issue12OneShotKeyTests.outcome { try EVPKey.read(pemBlock: text, content: .publicKey, password: nil) },
         Issue12OneShotKeyTests.outcome { try EVPKey.readGeneric(pemBlock: text, content: .publicKey, password: nil) })
    }

    @Test("an EC SPKI with a named curve and an uncompressed point is built from its point, as the decoder reads it")
    func builtFromPoint() throws {
        let der = try Issue12OneShotKeyTests.der("p256.spki.pem")
        let pointer = try #require(der.withUnsafeBufferPointer { EVPKey.ecPublicKey(spki: $0) })
        let key = try EVPKey.adopt(pointer, isPrivate: false)
        #expect(key.kind == .ec(.p256))
        let (fast, generic) = Self.outcome(Issue12OneShotKeyTests.armored("PUBLIC KEY", der))
        #expect(fast == generic)
        #expect(fast.contains("ec(") && fast.contains("private=false"), "\(fast)")
    }

    @Test("a point off the curve, a compressed point, another curve or bytes after the SPKI take the decoder, with its result")
    func fallbacks() throws {
        let der = try Issue12OneShotKeyTests.der("p256.spki.pem")
        var offCurve = der
        offCurve[offCurve.count - 1] ^= 0x01
        var compressed = Array(der.prefix(der.count - 65))
        compressed[1] = UInt8(compressed[1] - 32)  // outer length
        compressed[compressed.count - 2] = UInt8(compressed[compressed.count - 2] - 32)  // BIT STRING length
        compressed += [0x02 | (der[der.count - 1] & 1)] + der[(der.count - 64)..<(der.count - 32)]
        let rsa = try Issue12OneShotKeyTests.der("rsa2048.spki.pem")
        for variant in [offCurve, compressed, der + [0x05, 0x00], rsa] {
            #expect(variant.withUnsafeBufferPointer { EVPKey.ecPublicKey(spki: $0) } == nil)
            let (fast, generic) = Self.outcome(Issue12OneShotKeyTests.armored("PUBLIC KEY", variant))
            #expect(fast == generic)
        }
        // The off-curve point is refused, and the compressed one read, by both paths.
        #expect(Self.outcome(Issue12OneShotKeyTests.armored("PUBLIC KEY", offCurve)).fast.contains("malformed_key"))
        #expect(Self.outcome(Issue12OneShotKeyTests.armored("PUBLIC KEY", compressed)).fast.contains("private=false"))
    }

    @Test("the four namedCurve OIDs map to their curves")
    func curves() {
        #expect(EVPKey.namedCurve([0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]) == .p256)
        #expect(EVPKey.namedCurve([0x2B, 0x81, 0x04, 0x00, 0x22]) == .p384)
        #expect(EVPKey.namedCurve([0x2B, 0x81, 0x04, 0x00, 0x23]) == .p521)
        #expect(EVPKey.namedCurve([0x2B, 0x81, 0x04, 0x00, 0x0A]) == .secp256k1)
        #expect(EVPKey.namedCurve([0x2B, 0x81, 0x04, 0x00, 0x21]) == nil)  // secp224r1
    }
}

@Suite("Issue 12 EC private keys from PKCS#8 and SEC1")
struct Issue12ECPrivateKeyTests {
    static func outcome(_ text: [UInt8]) -> (fast: String, generic: String) {
        (Issue12OneShotKeyTests.outcome { try EVPKey.read(pemBlock: text, content: .privateKey, password: nil) },
         Issue12OneShotKeyTests.outcome { try EVPKey.readGeneric(pemBlock: text, content: .privateKey, password: nil) })
    }

    @Test("PKCS#8 and SEC1 P-256 keys are built from their scalar and point, as the decoder reads them")
    func builtFromComponents() throws {
        let pkcs8 = try Issue12OneShotKeyTests.der("p256.pkcs8.pem")
        let pointer = try #require(pkcs8.withUnsafeBufferPointer { EVPKey.ecPrivateKey(pkcs8: $0) })
        let key = try EVPKey.adopt(pointer, isPrivate: true)
        #expect(key.kind == .ec(.p256))
        for (label, der) in [("PRIVATE KEY", pkcs8), ("EC PRIVATE KEY", try Issue12OneShotKeyTests.der("p256.sec1.pem"))] {
            let (fast, generic) = Self.outcome(Issue12OneShotKeyTests.armored(label, der))
            #expect(fast == generic && fast.contains("private=true"), "\(label): \(fast)")
        }
    }

    @Test("a point off the curve, a point that does not match the scalar, or bytes after the key: as the decoder decides")
    func tampered() throws {
        let pkcs8 = try Issue12OneShotKeyTests.der("p256.pkcs8.pem")
        var offCurve = pkcs8
        offCurve[offCurve.count - 1] ^= 0x01
        // The scalar changed in its last byte: the point no longer matches it.
        let scalarEnd = try #require((0..<(pkcs8.count - 34)).first { pkcs8[$0] == 0x04 && pkcs8[$0 + 1] == 0x20 && $0 > 30 })
        var mismatched = pkcs8
        mismatched[scalarEnd + 2 + 31] ^= 0x01
        for (variant, refused) in [(offCurve, true), (mismatched, true), (pkcs8 + [0x05, 0x00], false)] {
            let (fast, generic) = Self.outcome(Issue12OneShotKeyTests.armored("PRIVATE KEY", variant))
            #expect(fast == generic, "\(fast) / \(generic)")
            #expect(fast.contains("malformed_key") == refused, "\(fast)")
        }
    }
}
