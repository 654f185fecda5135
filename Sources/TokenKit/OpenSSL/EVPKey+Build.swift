internal import COpenSSL

/// The big-endian integers of an RSA key (RFC 7518 §6.3 names).
struct RSAComponents {
    var n: [UInt8]
    var e: [UInt8]
    /// The private members, all present or all absent.
    var privateParts: RSAPrivateParts?
}

/// The private members of a two-prime RSA key, as decoded from a JWK, each in an owned
/// buffer that is wiped when released.
struct RSAPrivateParts {
    var d, p, q, dp, dq, qi: SecretBytes
}

extension EVPKey {
    // MARK: - From components (JWK)

    /// An RSA key from its components, validated.
    ///
    /// - Throws: ``TokenError/Code/malformedKey``, ``TokenError/Code/weakKey``.
    static func rsa(_ components: RSAComponents) throws -> EVPKey {
        let builder = try ParamBuilder()
        try builder.push(bignum: components.n, name: "n")
        try builder.push(bignum: components.e, name: "e")
        if let parts = components.privateParts {
            try builder.push(secret: parts.d, name: "d")
            try builder.push(secret: parts.p, name: "rsa-factor1")
            try builder.push(secret: parts.q, name: "rsa-factor2")
            try builder.push(secret: parts.dp, name: "rsa-exponent1")
            try builder.push(secret: parts.dq, name: "rsa-exponent2")
            try builder.push(secret: parts.qi, name: "rsa-coefficient1")
        }
        let key = try fromData(typeName: "RSA", builder: builder, isPrivate: components.privateParts != nil)
        try key.validate()
        return key
    }

    /// An EC key from its coordinates (and private scalar), validated: the point must be on
    /// the curve and the scalar must match it.
    ///
    /// - Throws: ``TokenError/Code/malformedKey``.
    static func ec(curve: ECCurve, x: [UInt8], y: [UInt8], d: SecretBytes?) throws -> EVPKey {
        guard let pointer = ecKeyPointer(curve: curve, point: [0x04] + x + y, scalar: d) else {
            throw OpenSSLError.malformedKey("OpenSSL refused the EC key components")
        }
        let key = try adopt(pointer, isPrivate: d != nil)
        try key.validate()
        return key
    }

    /// An Ed25519/Ed448 key from raw bytes; with `d`, the public key derived from it must be `x`.
    ///
    /// - Throws: ``TokenError/Code/malformedKey``.
    static func okp(curve: OKPCurve, x: [UInt8], d: SecretBytes?) throws -> EVPKey {
        let pointer: OpaquePointer?
        if let d {
            pointer = d.withUnsafeBytes { raw in
                let bytes = raw.baseAddress?.assumingMemoryBound(to: UInt8.self)
                return EVP_PKEY_new_raw_private_key_ex(nil, curve.opensslName, nil, bytes, raw.count)
            }
        } else {
            pointer = x.withNonNullBytes { EVP_PKEY_new_raw_public_key_ex(nil, curve.opensslName, nil, $0, $1) }
        }
        guard let pointer else { throw OpenSSLError.malformedKey("OpenSSL refused the \(curve.jwkName) key") }
        let key = try adopt(pointer, isPrivate: d != nil)
        if d != nil {
            guard try HMACBackend.constantTimeEqual(key.rawPublicKey(), x) else {
                throw TokenError.malformedKey("the private key does not match its public key (x)")
            }
        }
        try key.validate()
        return key
    }

    static func fromData(typeName: String, builder: ParamBuilder, isPrivate: Bool) throws -> EVPKey {
        guard let params = OSSL_PARAM_BLD_to_param(builder.pointer) else {
            throw OpenSSLError.backendFailure("OSSL_PARAM_BLD_to_param")
        }
        defer { OSSL_PARAM_free(params) }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw OpenSSLError.backendFailure("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_fromdata_init(context) == 1 else { throw OpenSSLError.backendFailure("EVP_PKEY_fromdata_init") }
        var pointer: OpaquePointer?
        let selection = isPrivate ? CTokenShim_EVP_PKEY_KEYPAIR() : CTokenShim_EVP_PKEY_PUBLIC_KEY()
        guard EVP_PKEY_fromdata(context, &pointer, selection, params) == 1, let pointer else {
            throw OpenSSLError.malformedKey("OpenSSL refused the \(typeName) key components")
        }
        return try adopt(pointer, isPrivate: isPrivate)
    }

    // MARK: - Generation

    /// A new random key of the given kind.
    ///
    /// - Throws: ``TokenError/Code/backendFailure``; ``TokenError/Code/weakKey`` for RSA
    ///   under 2048 bits; ``TokenError/Code/invalidValue`` for RSA over 16384 bits.
    static func generate(_ kind: Kind) throws -> EVPKey {
        let typeName: String
        switch kind {
        case .rsa(let bits):
            guard bits >= minimumRSABits else {
                throw TokenError(.weakKey, "RSA keys need at least \(minimumRSABits) bits (asked for \(bits))")
            }
            guard bits <= maximumRSABits else {
                throw TokenError.invalidValue("RSA keys can have at most \(maximumRSABits) bits (asked for \(bits))")
            }
            typeName = "RSA"
        case .ec: typeName = "EC"
        case .okp(let curve): typeName = curve.opensslName
        }
        guard let context = EVP_PKEY_CTX_new_from_name(nil, typeName, nil) else {
            throw OpenSSLError.backendFailure("EVP_PKEY_CTX_new_from_name")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_keygen_init(context) == 1 else { throw OpenSSLError.backendFailure("EVP_PKEY_keygen_init") }
        switch kind {
        case .rsa(let bits):
            guard EVP_PKEY_CTX_set_rsa_keygen_bits(context, Int32(bits)) == 1 else {
                throw OpenSSLError.backendFailure("EVP_PKEY_CTX_set_rsa_keygen_bits")
            }
        case .ec(let curve):
            guard EVP_PKEY_CTX_set_group_name(context, staticCString(curve.groupName)) == 1 else {
                throw OpenSSLError.backendFailure("EVP_PKEY_CTX_set_group_name")
            }
        case .okp: break
        }
        var pointer: OpaquePointer?
        guard EVP_PKEY_generate(context, &pointer) == 1, let pointer else {
            throw OpenSSLError.backendFailure("key generation")
        }
        return try adopt(pointer, isPrivate: true)
    }
}

/// An owned `OSSL_PARAM_BLD`. Names must be static strings: the built array points at them.
final class ParamBuilder {
    let pointer: OpaquePointer
    /// BIGNUMs pushed so far; the builder only points at them until `to_param` copies them.
    private var bignums: [OpaquePointer] = []

    init() throws {
        guard let pointer = OSSL_PARAM_BLD_new() else { throw OpenSSLError.backendFailure("OSSL_PARAM_BLD_new") }
        self.pointer = pointer
    }

    deinit {
        OSSL_PARAM_BLD_free(pointer)
        for bignum in bignums { BN_clear_free(bignum) }
    }

    func push(bignum bytes: [UInt8], name: StaticString) throws {
        guard let bignum = bytes.withNonNullBytes({ BN_bin2bn($0, Int32($1), nil) }) else {
            throw OpenSSLError.backendFailure("BN_bin2bn")
        }
        try push(bignum, name: name)
    }

    /// Pushes a private BIGNUM read from the secret's owned buffer. It is made on the secure
    /// heap (``SecretBytes/secureBignum()``), so `OSSL_PARAM_BLD_to_param` puts its copy in the
    /// block that `OSSL_PARAM_free` cleanses (the BIGNUM itself is freed with `BN_clear_free`).
    func push(secret: SecretBytes, name: StaticString) throws {
        guard let bignum = secret.secureBignum() else { throw OpenSSLError.backendFailure("BN_bin2bn") }
        try push(bignum, name: name)
    }

    private func push(_ bignum: OpaquePointer, name: StaticString) throws {
        bignums.append(bignum)
        guard OSSL_PARAM_BLD_push_BN(pointer, staticCString(name), bignum) == 1 else {
            throw OpenSSLError.backendFailure("OSSL_PARAM_BLD_push_BN")
        }
    }
}
