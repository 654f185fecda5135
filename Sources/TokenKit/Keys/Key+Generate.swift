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
            let secret = try SecureRandom.bytes(count: algorithm.hashByteCount ?? 64)
            key = Key(material: .secret(SecretBytes(secret)))
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

    /// An HMAC key from secret bytes.
    ///
    /// Public key material is refused as a secret (the PyJWT guard, CVE-2017-11424 class):
    /// a PEM block, an SSH public key, or a DER public key or certificate.
    /// - Parameter hmacSecret: the exact secret bytes.
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for public key material;
    ///   ``TokenError/Code/weakKey`` when shorter than 32 bytes.
    public init(hmacSecret: [UInt8]) throws {
        if let what = Key.publicKeyMaterialKind(hmacSecret) {
            throw TokenError(.keyUnsuitable, "the HMAC secret is \(what), not a secret", remedy: .giveAsKey)
        }
        guard hmacSecret.count >= Key.minimumHMACSecretByteCount else {
            throw TokenError(
                .weakKey,
                "the HMAC secret is \(hmacSecret.count) bytes; at least \(Key.minimumHMACSecretByteCount) are required")
        }
        self.init(material: .secret(SecretBytes(hmacSecret)))
    }

    /// What kind of public key material `bytes` look like, or `nil`.
    private static func publicKeyMaterialKind(_ bytes: [UInt8]) -> String? {
        let trimmed = Array(bytes.drop(while: { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }))
        let text = String(decoding: trimmed.prefix(4096), as: UTF8.self)
        if text.contains("-----BEGIN ") { return "a PEM block" }
        let sshPrefixes = ["ssh-rsa ", "ssh-dss ", "ecdsa-sha2-", "ssh-ed25519", "ssh-ed448", "sk-ecdsa-sha2-", "sk-ssh-ed25519"]
        if sshPrefixes.contains(where: text.hasPrefix) { return "an SSH public key" }
        if trimmed.first == 0x30, EVPKey.isDERPublicKeyOrCertificate(bytes) { return "a DER public key or certificate" }
        return nil
    }
}
