import Foundation
import Testing
@testable import TokenKit

/// The EC key check without OpenSSL 3.0's full public-key check (issue 12): on the four
/// supported curves (cofactor 1) a private key must still have a scalar in [1, n-1] that
/// gives its public point, and a public key must be a point on the curve.
@Suite("EC key check (issue 12)")
struct Issue12ECKeyCheckTests {
    static let curves: [Algorithm] = [.es256, .es384, .es512, .es256k]

    @Test("a generated key reloads from its JWK and signs what its public JWK verifies", arguments: curves)
    func matchingKeyLoads(algorithm: Algorithm) throws {
        let key = try Key.generate(for: algorithm)
        let reloaded = try Key(jwk: try key.privateJWK())
        #expect(reloaded.isPrivate)
        let publicJWK = try #require(key.publicJWK())
        #expect(reloaded.publicJWK() == publicJWK)
        let input = Base64URL.encode(Array(#"{"alg":"\#(algorithm.rawValue)"}"#.utf8)) + "." + Base64URL.encode(Array(#"{"sub":"a"}"#.utf8))
        let signature = try reloaded.signature(for: Array(input.utf8), algorithm: algorithm)
        let verifier = try SignatureVerifier(keys: [try Key(jwk: publicJWK)], allowedAlgorithms: [algorithm])
        let match = try verifier.verify(try CompactToken(input + "." + Base64URL.encode(signature)))
        #expect(match.algorithm == algorithm)
    }

    @Test("another key's scalar with this key's point is refused, naming the mismatch", arguments: curves)
    func otherScalarRefused(algorithm: Algorithm) throws {
        var mixed = try Key.generate(for: algorithm).privateJWK()
        mixed["d"] = try Key.generate(for: algorithm).privateJWK()["d"]
        do {
            _ = try Key(jwk: mixed)
            Issue.record("a mismatched key loaded")
        } catch let error as TokenError {
            #expect(error.code == .malformedKey)
            #expect(error.reason.contains("does not match its public key"), "\(error.reason)")
        }
    }

    @Test("a P-256 scalar of 0, of the group order n, or above it is refused")
    func scalarOutOfRange() throws {
        var jwk = try Key.generate(for: .es256).privateJWK()
        // The order of P-256 (FIPS 186-4, D.1.2.3), written out here rather than taken from TokenKit.
        let order: [UInt8] = [
            0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            0xBC, 0xE6, 0xFA, 0xAD, 0xA7, 0x17, 0x9E, 0x84, 0xF3, 0xB9, 0xCA, 0xC2, 0xFC, 0x63, 0x25, 0x51,
        ]
        var aboveOrder = order
        aboveOrder[31] += 1
        for scalar in [[UInt8](repeating: 0, count: 32), order, aboveOrder, [UInt8](repeating: 0xFF, count: 32)] {
            jwk["d"] = .string(Base64URL.encode(scalar))
            #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: jwk) }
            do {
                _ = try Key(jwk: jwk)
            } catch let error as TokenError {
                #expect(error.reason.contains("the private scalar d is out of range"), "\(error.reason)")
            }
        }
    }

    @Test("a public point moved off the curve is refused, with and without the private scalar", arguments: curves)
    func pointOffCurveRefused(algorithm: Algorithm) throws {
        let jwk = try Key.generate(for: algorithm).privateJWK()
        var y = try Base64URL.decode(try #require(jwk["y"]?.stringValue))
        y[y.count - 1] ^= 0x01
        var privateJWK = jwk
        privateJWK["y"] = .string(Base64URL.encode(y))
        var publicJWK = privateJWK
        publicJWK["d"] = nil
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: privateJWK) }
        #expect(throws: TokenError(.malformedKey, "")) { try Key(jwk: publicJWK) }
    }

    @Test("a key read from a compressed point exports the same x and y, and the same thumbprint, as from the uncompressed one")
    func compressedPointExports() throws {
        let der = try Issue12OneShotKeyTests.der("p256.spki.pem")
        // The same SPKI with the point compressed (prefix 02/03 by the parity of y, then x).
        var compressed = Array(der.prefix(der.count - 65))
        compressed[1] = UInt8(compressed[1] - 32)  // outer length
        compressed[compressed.count - 2] = UInt8(compressed[compressed.count - 2] - 32)  // BIT STRING length
        compressed += [0x02 | (der[der.count - 1] & 1)] + der[(der.count - 64)..<(der.count - 32)]
        let text = { (bytes: [UInt8]) in String(decoding: Issue12OneShotKeyTests.armored("PUBLIC KEY", bytes), as: UTF8.self) }
        let uncompressedKey = try Key(pemRepresentation: text(der))
        let compressedKey = try Key(pemRepresentation: text(compressed))
        #expect(compressedKey.publicJWK() == uncompressedKey.publicJWK())
        #expect(compressedKey.thumbprint() == uncompressedKey.thumbprint())
        let jwk = try #require(uncompressedKey.publicJWK())
        #expect(jwk["x"]?.stringValue == Base64URL.encode(Array(der[(der.count - 64)..<(der.count - 32)])))
        #expect(jwk["y"]?.stringValue == Base64URL.encode(Array(der[(der.count - 32)...])))
    }
}
