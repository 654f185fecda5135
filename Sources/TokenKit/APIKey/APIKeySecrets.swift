/// One HMAC secret that keyset-bound API keys are minted and checked with.
///
/// Its id is 8 base62 characters (it is written into every key minted with it); its
/// material is at least 32 bytes in one owned buffer (shared, not copied, with the keyset
/// record it came from), wiped with `OPENSSL_cleanse` when the last value holding it goes.
/// The material is only ever lent (``withSecretBytes(_:)``), never returned as an array.
public struct APIKeySecret: Sendable {
    /// The secret's id, as keys carry it: ``APIKey/secretIDLength`` base62 characters.
    public let id: String
    let material: SecretBytes

    /// The fewest bytes a secret may have: the output length of SHA-256.
    public static let minimumByteCount = 32

    /// A secret from its id and bytes (for a store that keeps secrets, such as a keyset).
    /// The bytes are copied into an owned buffer; the caller's array is not wiped here (wipe
    /// it with ``Secrets/wipe(_:)-(inout [UInt8])`` when the caller alone holds it).
    ///
    /// - Throws: ``TokenError/Code/malformedKey`` when the id is not 8 base62 characters;
    ///   ``TokenError/Code/weakKey`` when the secret is shorter than 32 bytes.
    public init(id: String, bytes: [UInt8]) throws {
        try self.init(id: id, material: SecretBytes(copying: bytes))
    }

    /// A secret over an owned buffer, shared (not copied).
    init(id: String, material: SecretBytes) throws {
        guard id.utf8.count == APIKey.secretIDLength, Base62.isBase62(id.utf8) else {
            throw TokenError.malformedKey("an API-key secret id must be \(APIKey.secretIDLength) characters of 0-9, A-Z, a-z")
        }
        guard material.count >= APIKeySecret.minimumByteCount else {
            throw TokenError(.weakKey, "an API-key secret must have at least \(APIKeySecret.minimumByteCount) bytes")
        }
        self.id = id
        self.material = material
    }

    /// A new secret: a random id and 32 random bytes from OpenSSL's generator.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    public static func generate() throws -> APIKeySecret {
        var random = RandomBase62()
        let id = try random.characters(APIKey.secretIDLength)
        let material = try SecretBytes(count: minimumByteCount) { try SecureRandom.fill($0) }
        return try APIKeySecret(id: String(decoding: id, as: UTF8.self), material: material)
    }

    /// Lends the secret's owned buffer to `body`, without copying it (for a store that must
    /// write it). `body` must not keep the pointer, and any copy it makes is its own to wipe.
    public func withSecretBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try material.withUnsafeBytes(body)
    }
}

/// Where keyset-bound API keys find their HMAC secrets: a keyset, or any store of secrets.
///
/// Secrets follow the keyset's states: the active one mints, and every secret still held
/// (next, active or retiring) verifies; a removed secret no longer verifies the keys minted
/// with it. A store that has no secret yet creates one before minting (the keyset does so on
/// the first bound key).
public protocol APIKeySecrets: Sendable {
    /// The secret with this id, if the store still holds it; `nil` otherwise.
    func apiKeySecret(id: String) -> APIKeySecret?

    /// The secret that mints new keys.
    ///
    /// - Throws: ``TokenError/Code/keyNotFound`` when the store has no active secret.
    func activeAPIKeySecret() throws -> APIKeySecret
}

/// Secrets held in memory: for tests, and for programs that keep secrets elsewhere.
public struct InMemoryAPIKeySecrets: APIKeySecrets {
    /// Every secret that verifies.
    public var secrets: [APIKeySecret]
    /// The id of the secret that mints; `nil` for a store that only verifies.
    public var activeID: String?

    /// A store of `secrets`, minting with the one whose id is `activeID`.
    public init(secrets: [APIKeySecret], activeID: String?) {
        self.secrets = secrets
        self.activeID = activeID
    }

    public func apiKeySecret(id: String) -> APIKeySecret? {
        secrets.first { Array($0.id.utf8) == Array(id.utf8) }
    }

    public func activeAPIKeySecret() throws -> APIKeySecret {
        guard let activeID, let secret = apiKeySecret(id: activeID) else {
            throw TokenError(.keyNotFound, "no active API-key secret to mint keyset-bound keys with")
        }
        return secret
    }
}
