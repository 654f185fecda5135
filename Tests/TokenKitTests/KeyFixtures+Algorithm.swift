import Foundation
import Testing
@testable import TokenKit

extension KeyFixtures {
    /// Whether `algorithm` takes an RSA key (RS* and PS*).
    static func isRSA(_ algorithm: Algorithm) -> Bool {
        algorithm.family == .rsaPKCS1 || algorithm.family == .rsaPSS
    }

    /// A private key for `algorithm`, with ``Key/algorithm`` set to it: for RS* and PS* the
    /// committed RSA 2048 key `rsa2048.pkcs8.pem` (generating RSA keys made up most of the
    /// test run's time); for the others a freshly generated key, which is cheap.
    static func key(for algorithm: Algorithm) throws -> Key {
        guard isRSA(algorithm) else { return try Key.generate(for: algorithm) }
        var key = try Self.key("rsa2048.pkcs8.pem")
        key.algorithm = algorithm
        return key
    }

    /// A second private key for `algorithm`, different from ``key(for:)``'s: for RS* and PS*
    /// the committed interop key `Vectors/interop/ps256.private.pem` (RSA 2048).
    static func otherKey(for algorithm: Algorithm) throws -> Key {
        guard isRSA(algorithm) else { return try Key.generate(for: algorithm) }
        let url = try #require(
            Bundle.module.url(forResource: "ps256.private.pem", withExtension: nil, subdirectory: "Vectors/interop"),
            "missing fixture interop/ps256.private.pem")
        var key = try Key(pemRepresentation: String(decoding: try Data(contentsOf: url), as: UTF8.self))
        key.algorithm = algorithm
        return key
    }
}
