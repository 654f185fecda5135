internal import COpenSSL
import Foundation
import Testing

@testable import TokenKit

/// Hashing without a digest fetch (issue 12): ``Digest/hash(_:with:into:builtin:)`` goes through
/// OpenSSL's low-level SHA functions. The hashes must be the standard's and EVP's. (ECDSA over
/// these hashes, checked against OpenSSL's digest-verifying path: Issue12ECKeyTests.)
@Suite("Issue 12 hashing without a fetch")
struct Issue12PrehashedTests {
    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    /// ``Digest/hash(_:with:into:builtin:)`` through the low-level functions (`builtin`) or EVP.
    static func hash(_ input: [UInt8], _ digest: DigestKind, builtin: Bool = true) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: digest.byteCount)
        let ok = input.withUnsafeBytes { bytes in
            out.withUnsafeMutableBytes { Digest.hash(bytes, with: digest, into: $0, builtin: builtin) }
        }
        return ok ? out : nil
    }

    // FIPS 180-2 appendix examples: "abc", the 448-bit two-block message and the empty string.
    static let twoBlock = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"

    @Test("SHA-256, SHA-384 and SHA-512 give the standard's example hashes", arguments: [
        ("abc", DigestKind.sha256, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        (twoBlock, .sha256, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        ("", .sha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", .sha384,
         "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"),
        ("abc", .sha512,
         "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
            + "454d4423643ce80e2a9ac94fa54ca49f"),
    ])
    func standardExamples(input: String, digest: DigestKind, expected: String) throws {
        let hash = try #require(Self.hash(Array(input.utf8), digest))
        #expect(Self.hex(hash) == expected)
        #expect(Self.hash(Array(input.utf8), digest, builtin: false).map(Self.hex) == expected)
        if digest == .sha256 { #expect(Self.hex(try Digest.sha256(Array(input.utf8))) == expected) }
    }

    @Test("every length from 0 to 300 bytes hashes as EVP_Digest does")
    func agreesWithEVP() throws {
        var generator = SystemRandomNumberGenerator()
        for digest in [DigestKind.sha256, .sha384, .sha512] {
            let md = try #require(digest.fetched)
            for length in 0...300 {
                let input = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
                var expected = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
                var expectedLength: UInt32 = 0
                let ok = input.withNonNullBytes { EVP_Digest($0, $1, &expected, &expectedLength, md.pointer, nil) }
                #expect(ok == 1)
                #expect(Self.hash(input, digest) == Array(expected.prefix(Int(expectedLength))), "\(digest) \(length)")
            }
        }
    }
}
