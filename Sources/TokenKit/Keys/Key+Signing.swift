extension Key {
    /// Signs `input` (the JWS signing input `header.payload`) with `algorithm`.
    ///
    /// ECDSA signatures are raw R||S of twice the coordinate size (RFC 7518 §3.4); RSA-PSS
    /// uses MGF1 with the same hash and a salt as long as the hash (§3.5); EdDSA is pure
    /// (RFC 8037 §3.1).
    /// - Parameters:
    ///   - input: the bytes to sign.
    ///   - algorithm: one of ``allowedAlgorithms``.
    /// - Returns: the JWS signature bytes.
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for a public-only key or an algorithm
    ///   this key does not allow; ``TokenError/Code/backendFailure`` when OpenSSL fails.
    public func signature(for input: [UInt8], algorithm: Algorithm) throws -> [UInt8] {
        guard isPrivate else {
            throw TokenError(.keyUnsuitable, "\(self) cannot sign: it has no private part")
        }
        guard allowedAlgorithms.contains(algorithm) else {
            throw TokenError(.keyUnsuitable, "\(self) cannot sign with \(algorithm)\(allowedList)")
        }
        switch material {
        case .secret(let secret):
            guard let digest = algorithm.hashByteCount.flatMap(DigestKind.init(byteCount:)) else {
                throw TokenError(.keyUnsuitable, "\(algorithm) is not an HMAC algorithm")
            }
            return try secret.withUnsafeBytes { key in
                try HMACBackend.authenticationCode(digest: digest, key: key, data: input)
            }
        case .asymmetric(let key):
            guard let scheme = Key.scheme(for: algorithm) else {
                throw TokenError(.keyUnsuitable, "\(algorithm) is not a public-key algorithm")
            }
            return try key.sign(input, scheme: scheme)
        }
    }

    /// Whether `signature` is a valid JWS signature over `input` under `algorithm`.
    ///
    /// Returns `false`, never throws, for a signature of the wrong length, a DER-encoded
    /// ECDSA signature, r or s zero or not below the group order, an algorithm this key
    /// does not allow, or any OpenSSL failure. HMAC tags are compared in constant time;
    /// RSA-PSS requires a salt as long as the hash.
    public func isValidSignature(_ signature: [UInt8], for input: [UInt8], algorithm: Algorithm) -> Bool {
        signature.withUnsafeBytes { signature in
            input.withUnsafeBytes { isValidSignature(signature, over: $0, algorithm: algorithm) }
        }
    }

    /// ``isValidSignature(_:for:algorithm:)`` over bytes lent by the caller (the token's own
    /// text, its signature decoded on the stack), so that verification copies nothing. An HMAC
    /// secret reuses keyed contexts (``HMACContextPool``) and computes the tag into a stack buffer.
    func isValidSignature(_ signature: UnsafeRawBufferPointer, over input: UnsafeRawBufferPointer, algorithm: Algorithm) -> Bool {
        allows(algorithm) && material.isValidSignature(signature, over: input, algorithm: algorithm)
    }

    /// The OpenSSL signature scheme of an asymmetric algorithm.
    static func scheme(for algorithm: Algorithm) -> SignatureScheme? {
        let digest = algorithm.hashByteCount.flatMap(DigestKind.init(byteCount:))
        switch algorithm.family {
        case .hmac: return nil
        case .rsaPKCS1: return digest.map(SignatureScheme.rsaPKCS1)
        case .rsaPSS: return digest.map(SignatureScheme.rsaPSS)
        case .ecdsa: return digest.map(SignatureScheme.ecdsa)
        case .eddsa: return .eddsa
        }
    }

    private var allowedList: String {
        let allowed = allowedAlgorithms
        if allowed.isEmpty { return "" }
        return " (allowed: " + allowed.map(\.rawValue).joined(separator: ", ") + ")"
    }
}

extension Key.Material {
    /// ``Key/isValidSignature(_:over:algorithm:)`` once the key allows `algorithm`: a method of
    /// the material, which the key lends in place (a key's method binding the material's
    /// object took a reference count on it and on the secret's contexts, every token).
    func isValidSignature(_ signature: UnsafeRawBufferPointer, over input: UnsafeRawBufferPointer, algorithm: Algorithm) -> Bool {
        switch self {
        case .secret(let secret):
            guard let digest = algorithm.hashByteCount.flatMap(DigestKind.init(byteCount:)),
                signature.count == digest.byteCount
            else { return false }
            return secret.hmacContexts.isValidTag(signature, digest: digest, key: secret, data: input)
        case .asymmetric(let key):
            guard let scheme = Key.scheme(for: algorithm) else { return false }
            return key.verify(signature, over: input, scheme: scheme)
        }
    }
}
