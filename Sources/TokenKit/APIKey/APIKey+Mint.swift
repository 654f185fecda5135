extension APIKey {
    /// Mints opaque keys: `<prefix>_<32 random base62 characters><checksum>`.
    ///
    /// - Parameters:
    ///   - prefix: the prefix (``validatePrefix(_:)``); ``defaultPrefix`` by default.
    ///   - count: how many keys.
    /// - Returns: `count` keys, each with about 190 bits from OpenSSL's generator. The random
    ///   pool and the bytes each key is built in are wiped; the returned ``text`` is a Swift
    ///   `String` (the product itself, to be printed), which is not.
    /// - Throws: ``TokenError/Code/invalidValue`` for a bad prefix;
    ///   ``TokenError/Code/backendFailure`` when the generator fails.
    public static func mintOpaque(prefix: String = defaultPrefix, count: Int = 1) throws -> [APIKey] {
        try validatePrefix(prefix)
        var random = RandomBase62(chunk: 4096)
        var keys: [APIKey] = []
        keys.reserveCapacity(max(count, 0))
        for _ in 0..<max(count, 0) {
            var bytes: [UInt8] = []
            defer { SecretBytes.wipe(&bytes) }
            bytes.reserveCapacity(prefix.utf8.count + 1 + opaqueRandomLength + checksumLength)
            bytes += prefix.utf8
            bytes.append(UInt8(ascii: "_"))
            try random.append(opaqueRandomLength, to: &bytes)
            bytes += checksum(of: bytes).utf8
            keys.append(APIKey(text: String(decoding: bytes, as: UTF8.self), prefix: prefix, kind: .opaque, secretID: nil))
        }
        return keys
    }

    /// Mints keyset-bound keys with the store's active secret:
    /// `<prefix>_<secret id><22 random base62 characters><MAC><checksum>`.
    ///
    /// - Parameters:
    ///   - prefix: the prefix (``validatePrefix(_:)``).
    ///   - secrets: the store whose ``APIKeySecrets/activeAPIKeySecret()`` signs.
    ///   - count: how many keys.
    /// - Throws: ``TokenError/Code/invalidValue`` for a bad prefix;
    ///   ``TokenError/Code/keyNotFound`` when the store has no active secret;
    ///   ``TokenError/Code/backendFailure`` when OpenSSL fails.
    public static func mintBound(
        prefix: String = defaultPrefix, secrets: some APIKeySecrets, count: Int = 1
    ) throws -> [APIKey] {
        try validatePrefix(prefix)
        let secret = try secrets.activeAPIKeySecret()
        var random = RandomBase62(chunk: 4096)
        var keys: [APIKey] = []
        keys.reserveCapacity(max(count, 0))
        for _ in 0..<max(count, 0) {
            var bytes: [UInt8] = []
            defer { SecretBytes.wipe(&bytes) }
            bytes.reserveCapacity(prefix.utf8.count + 1 + secret.id.utf8.count + boundRandomLength + macLength + checksumLength)
            bytes += prefix.utf8
            bytes.append(UInt8(ascii: "_"))
            bytes += secret.id.utf8
            try random.append(boundRandomLength, to: &bytes)
            bytes += try mac(of: bytes, secret: secret)
            bytes += checksum(of: bytes).utf8
            keys.append(APIKey(
                text: String(decoding: bytes, as: UTF8.self), prefix: prefix, kind: .keyset, secretID: secret.id))
        }
        return keys
    }

    /// The 22 base62 characters of a bound key's MAC over `message` (`<prefix>_<secret id><random>`):
    /// HMAC-SHA256 under the secret, its first 16 bytes as a big-endian number.
    static func mac(of message: [UInt8], secret: APIKeySecret) throws -> [UInt8] {
        let full = try secret.material.withUnsafeBytes { key in
            try HMACBackend.authenticationCode(digest: .sha256, key: key, data: message)
        }
        return Array(Base62.encode(bytes: Array(full.prefix(macByteCount)), width: macLength).utf8)
    }
}
