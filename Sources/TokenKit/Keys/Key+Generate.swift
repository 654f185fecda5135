extension Key {
    /// A new random key for `algorithm`, with ``algorithm`` set to it.
    ///
    /// RS* and PS*: an RSA key of `rsaBits` bits; ES*: an EC key on the algorithm's curve;
    /// EdDSA and Ed25519: Ed25519; Ed448: Ed448; HS*: a secret as long as the hash, from
    /// OpenSSL's CSPRNG.
    /// - Parameters:
    ///   - algorithm: the algorithm the key is for.
    ///   - rsaBits: the RSA modulus size (2048 to 16384).
    /// - Throws: ``TokenError/Code/weakKey`` (rsaBits under 2048), ``TokenError/Code/invalidValue``
    ///   (rsaBits over 16384), ``TokenError/Code/backendFailure``.
    public static func generate(for algorithm: Algorithm, rsaBits: Int = 2048) throws -> Key {
        var key: Key
        switch algorithm {
        case .hs256, .hs384, .hs512:
            let secret = try SecretBytes(count: algorithm.hashByteCount ?? 64) { try SecureRandom.fill($0) }
            key = Key(material: .secret(secret))
        case .rs256, .rs384, .rs512, .ps256, .ps384, .ps512:
            key = Key(material: .asymmetric(try EVPKey.generate(.rsa(bits: rsaBits))))
        case .es256: key = Key(material: .asymmetric(try EVPKey.generate(.ec(.p256))))
        case .es384: key = Key(material: .asymmetric(try EVPKey.generate(.ec(.p384))))
        case .es512: key = Key(material: .asymmetric(try EVPKey.generate(.ec(.p521))))
        case .es256k: key = Key(material: .asymmetric(try EVPKey.generate(.ec(.secp256k1))))
        case .ed448: key = Key(material: .asymmetric(try EVPKey.generate(.okp(.ed448))))
        case .edDSA, .ed25519: key = Key(material: .asymmetric(try EVPKey.generate(.okp(.ed25519))))
        default: throw TokenError(.keyUnsuitable, "cannot generate a key for \(algorithm)")
        }
        key.algorithm = algorithm
        return key
    }

    /// The smallest HMAC secret accepted: the length of HS256's hash.
    public static let minimumHMACSecretByteCount = 32

    /// An HMAC key from secret bytes, copied into the key's owned buffer (wiped when the
    /// last copy of the key goes); `hmacSecret` itself is the caller's to wipe.
    ///
    /// Public key material is refused as a secret (the PyJWT guard, CVE-2017-11424 class):
    /// see ``publicKeyMaterialKind(_:)``. So are weak secrets: see ``weakHMACSecretReason(_:)``.
    /// - Parameter hmacSecret: the exact secret bytes.
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for public key material;
    ///   ``TokenError/Code/weakKey`` when shorter than 32 bytes or all one byte.
    public init(hmacSecret: [UInt8]) throws {
        if let what = Key.publicKeyMaterialKind(hmacSecret) {
            throw TokenError(
                .keyUnsuitable, "the HMAC secret is \(what), which is public key material that anyone may hold, not a secret",
                remedy: .giveAsKey)
        }
        if let reason = Key.weakHMACSecretReason(hmacSecret) { throw TokenError(.weakKey, reason) }
        self.init(material: .secret(SecretBytes(copying: hmacSecret)))
    }

    /// An HMAC key from secret text in `encoding` (the contents of a secret file or variable,
    /// `--secret-encoding`). The decoded bytes, and every intermediate of the decoding, are
    /// wiped once the key holds its own copy; `text` itself is the caller's to wipe.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` for text that is not in `encoding` (the
    ///   message never quotes it); the errors of ``init(hmacSecret:)``.
    public init(hmacSecretText text: [UInt8], encoding: SecretEncoding) throws {
        var secret = try encoding.decode(text)
        defer { SecretBytes.wipe(&secret) }
        try self.init(hmacSecret: secret)
    }
}
