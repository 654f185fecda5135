/// Checks API keys the way a service does: the checksum first (offline, no lookup), then,
/// for a keyset-bound key, its MAC with the secret its id names, and, when a hash list is
/// given, that the key's SHA-256 is in it. A key passes only when at least one check
/// beyond the checksum was made and every check made passed.
public struct APIKeyVerifier: Sendable {
    /// One check a key passed.
    public enum Check: String, Hashable, Sendable {
        /// The CRC-32 checksum matched.
        case checksum
        /// The MAC of a keyset-bound key verified under its secret.
        case mac
        /// The key's SHA-256 is in the hash list.
        case hashList = "hash_list"
    }

    /// A key that passed, with the checks it passed, in order.
    public struct Verified: Sendable {
        public let key: APIKey
        public let checks: [Check]
    }

    /// The hashes of issued keys, if any.
    public var hashes: APIKeyHashList?
    /// The secrets of keyset-bound keys, if any.
    public var secrets: (any APIKeySecrets)?

    /// A verifier with what a service has to check keys against.
    public init(hashes: APIKeyHashList? = nil, secrets: (any APIKeySecrets)? = nil) {
        self.hashes = hashes
        self.secrets = secrets
    }

    /// Verifies one key.
    ///
    /// - Parameter text: the key.
    /// - Returns: the parsed key and the checks it passed.
    /// - Throws: ``TokenError/Code/malformed`` or ``TokenError/Code/checksumInvalid``
    ///   (see ``APIKey/init(_:)``); ``TokenError/Code/keyNotFound`` when the key's secret
    ///   is not held (removed) or its hash is not in the list; ``TokenError/Code/signatureInvalid``
    ///   when the MAC does not verify (a forged key); ``TokenError/Code/keyUnsuitable`` when
    ///   there is nothing to check a well-formed key against (no hash list, and for a
    ///   keyset-bound key no secrets either); ``TokenError/Code/backendFailure``.
    public func verify(_ text: String) throws -> Verified {
        let key = try APIKey(text)
        var checks: [Check] = [.checksum]
        if key.kind == .keyset, let secrets, let id = key.secretID {
            guard let secret = secrets.apiKeySecret(id: id) else {
                throw TokenError(.keyNotFound, "the keyset holds no API-key secret with id \(id) (it may have been removed by rotation)")
            }
            let bytes = Array(text.utf8)
            let macEnd = bytes.count - APIKey.checksumLength
            let macStart = macEnd - APIKey.macLength
            let expected = try APIKey.mac(of: Array(bytes[..<macStart]), secret: secret)
            guard HMACBackend.constantTimeEqual(expected, Array(bytes[macStart..<macEnd])) else {
                throw TokenError(.signatureInvalid, "the API key's MAC does not verify under secret \(id): the key was not minted with this keyset")
            }
            checks.append(.mac)
        }
        if let hashes {
            guard try hashes.contains(key) else {
                throw TokenError(.keyNotFound, "the API key's SHA-256 is not in the hash list (an unknown or revoked key)")
            }
            checks.append(.hashList)
        }
        if checks == [.checksum] {
            let what = key.kind == .keyset
                ? "a keyset-bound API key needs the keyset holding its secret, or a hash list"
                : "an opaque API key needs a hash list (the SHA-256 of each issued key)"
            throw TokenError(.keyUnsuitable, "nothing to check the API key against: \(what)")
        }
        return Verified(key: key, checks: checks)
    }
}
