internal import COpenSSL

/// How a JWS signature is made with an asymmetric key.
enum SignatureScheme: Sendable, Hashable {
    /// RSASSA-PKCS1-v1_5 (RS*).
    case rsaPKCS1(DigestKind)
    /// RSASSA-PSS with MGF1 over the same hash and salt length = hash length (PS*).
    case rsaPSS(DigestKind)
    /// ECDSA with the JWS raw R||S encoding (ES*).
    case ecdsa(DigestKind)
    /// Pure EdDSA (Ed25519, Ed448).
    case eddsa

    var digest: DigestKind? {
        switch self {
        case .rsaPKCS1(let digest), .rsaPSS(let digest), .ecdsa(let digest): return digest
        case .eddsa: return nil
        }
    }
}

extension EVPKey {
    /// Signs `input`, returning the JWS signature bytes (ECDSA as fixed-length R||S).
    /// `builtin` (by default ``OpenSSLRuntime/mayUseBuiltinCode``) lets ECDSA call libcrypto's
    /// built-in code instead of a provider.
    ///
    /// The caller has checked that the scheme fits the key.
    /// - Throws: ``TokenError/Code/backendFailure``.
    func sign(_ input: [UInt8], scheme: SignatureScheme, builtin: Bool = OpenSSLRuntime.mayUseBuiltinCode) throws -> [UInt8] {
        if case .ecdsa(let digest) = scheme, case .ec(let curve) = kind {
            return try signECDSA(input, curve: curve, digest: digest, builtin: builtin)
        }
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLError.backendFailure("EVP_MD_CTX_new") }
        defer { EVP_MD_CTX_free(context) }
        try initialize(context, scheme: scheme, forSigning: true)
        var length = 0
        try input.withNonNullBytes { bytes, count in
            guard EVP_DigestSign(context, nil, &length, bytes, count) == 1 else {
                throw OpenSSLError.backendFailure("EVP_DigestSign")
            }
        }
        var signature = [UInt8](repeating: 0, count: length)
        try input.withNonNullBytes { bytes, count in
            guard EVP_DigestSign(context, &signature, &length, bytes, count) == 1 else {
                throw OpenSSLError.backendFailure("EVP_DigestSign")
            }
        }
        signature.removeSubrange(length...)
        return signature
    }

    /// ECDSA: hashes `input` (``Digest/hash(_:with:into:builtin:)``) and signs the hash. With
    /// `builtin`, by `ECDSA_do_sign` on the key's `EC_KEY` (see COpenSSL.h), the function the
    /// provider ends in, with the same nonce (random, hedged with the key and the hash);
    /// else by `EVP_PKEY_sign` through the providers (OpenSSL exports the `EC_KEY` to one).
    private func signECDSA(_ input: [UInt8], curve: ECCurve, digest: DigestKind, builtin: Bool) throws -> [UInt8] {
        var hash = [UInt8](repeating: 0, count: digest.byteCount)
        let hashed = input.withUnsafeBytes { bytes in
            hash.withUnsafeMutableBytes { Digest.hash(bytes, with: digest, into: $0, builtin: builtin) }
        }
        guard hashed else { throw OpenSSLError.backendFailure("hashing with \(digest)") }
        let signature: OpaquePointer
        if builtin {
            guard let ecKey, let made = CTokenShim_ECDSA_do_sign(hash, Int32(hash.count), ecKey) else {
                throw OpenSSLError.backendFailure("ECDSA_do_sign")
            }
            signature = made
        } else {
            guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
                throw OpenSSLError.backendFailure("EVP_PKEY_CTX_new_from_pkey")
            }
            defer { EVP_PKEY_CTX_free(context) }
            var length = 0
            guard EVP_PKEY_sign_init(context) == 1, EVP_PKEY_sign(context, nil, &length, hash, hash.count) == 1 else {
                throw OpenSSLError.backendFailure("EVP_PKEY_sign")
            }
            var der = [UInt8](repeating: 0, count: length)
            guard EVP_PKEY_sign(context, &der, &length, hash, hash.count) == 1 else {
                throw OpenSSLError.backendFailure("EVP_PKEY_sign")
            }
            guard let decoded = ECDSAEncoding.signature(fromDER: der.prefix(length)) else {
                throw OpenSSLError.backendFailure("d2i_ECDSA_SIG")
            }
            signature = decoded
        }
        defer { ECDSA_SIG_free(signature) }
        return try ECDSAEncoding.raw(signature, curve: curve)
    }

    /// Whether `signature` is a valid JWS signature over `input`. Never throws: any
    /// malformed signature or OpenSSL failure is `false`, and the error queue is emptied.
    /// `builtin` as for ``sign(_:scheme:builtin:)``.
    func verify(
        _ signature: UnsafeRawBufferPointer, over input: UnsafeRawBufferPointer, scheme: SignatureScheme,
        builtin: Bool = OpenSSLRuntime.mayUseBuiltinCode
    ) -> Bool {
        defer { OpenSSLError.clear() }
        switch (scheme, kind) {
        case (.ecdsa(let digest), .ec(let curve)):
            return verifyECDSA(signature, curve: curve, over: input, digest: digest, builtin: builtin)
        case (.rsaPKCS1, .rsa(let bits)), (.rsaPSS, .rsa(let bits)):
            guard signature.count == (bits + 7) / 8 else { return false }
        case (.eddsa, .okp(let curve)):
            guard signature.count == 2 * curve.keyByteCount,
                EdwardsEncoding.weakness(Array(signature.prefix(curve.keyByteCount)), curve: curve) == nil
            else { return false }
        default:
            return false
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard (try? initialize(context, scheme: scheme, forSigning: false)) != nil else { return false }
        return signature.withNonNullBytes { signatureBytes, signatureCount in
            input.withNonNullBytes { inputBytes, inputCount in
                EVP_DigestVerify(context, signatureBytes, signatureCount, inputBytes, inputCount) == 1
            }
        }
    }

    /// ECDSA: hashes `input` (``Digest/hash(_:with:into:builtin:)``) into a stack buffer and
    /// verifies, with `builtin`, by `ECDSA_do_verify` on the key's `EC_KEY` (see COpenSSL.h),
    /// the function the provider ends in, without a DER round trip of the signature; else by
    /// `EVP_PKEY_verify` through the providers.
    private func verifyECDSA(
        _ raw: UnsafeRawBufferPointer, curve: ECCurve, over input: UnsafeRawBufferPointer, digest: DigestKind, builtin: Bool
    ) -> Bool {
        guard let ecKey, let signature = ECDSAEncoding.signature(fromRaw: raw, curve: curve) else { return false }
        defer { ECDSA_SIG_free(signature) }
        return withUnsafeTemporaryAllocation(byteCount: Int(EVP_MAX_MD_SIZE), alignment: 16) { hash in
            guard Digest.hash(input, with: digest, into: hash, builtin: builtin) else { return false }
            let bytes = hash.baseAddress!.assumingMemoryBound(to: UInt8.self)
            if builtin { return CTokenShim_ECDSA_do_verify(bytes, Int32(digest.byteCount), signature, ecKey) == 1 }
            guard let der = ECDSAEncoding.der(of: signature), let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
                return false
            }
            defer { EVP_PKEY_CTX_free(context) }
            return EVP_PKEY_verify_init(context) == 1 && EVP_PKEY_verify(context, der, der.count, bytes, digest.byteCount) == 1
        }
    }

    private func initialize(_ context: OpaquePointer, scheme: SignatureScheme, forSigning: Bool) throws {
        var md: OpaquePointer?
        if let digest = scheme.digest {
            guard let fetched = digest.fetched else { throw OpenSSLError.backendFailure("fetching \(digest)") }
            md = fetched.pointer
        }
        var keyContext: OpaquePointer?
        let initialized =
            forSigning
            ? EVP_DigestSignInit(context, &keyContext, md, nil, pointer)
            : EVP_DigestVerifyInit(context, &keyContext, md, nil, pointer)
        guard initialized == 1, let keyContext else { throw OpenSSLError.backendFailure("EVP_DigestSignInit") }
        switch scheme {
        case .rsaPKCS1:
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PADDING) == 1 else {
                throw OpenSSLError.backendFailure("EVP_PKEY_CTX_set_rsa_padding")
            }
        case .rsaPSS(let digest):
            // The salt length is pinned on verification too: OpenSSL otherwise accepts any.
            guard EVP_PKEY_CTX_set_rsa_padding(keyContext, RSA_PKCS1_PSS_PADDING) == 1,
                EVP_PKEY_CTX_set_rsa_pss_saltlen(keyContext, Int32(digest.byteCount)) == 1,
                EVP_PKEY_CTX_set_rsa_mgf1_md(keyContext, md) == 1
            else {
                throw OpenSSLError.backendFailure("configuring RSA-PSS")
            }
        case .ecdsa, .eddsa:
            break
        }
    }
}

/// Conversion between JWS's raw R||S ECDSA signatures (RFC 7518 §3.4) and OpenSSL's `ECDSA_SIG`.
enum ECDSAEncoding {
    /// The fixed-length R||S form of an `ECDSA_SIG`.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when r or s does not fit the curve's size.
    static func raw(_ signature: OpaquePointer, curve: ECCurve) throws -> [UInt8] {
        let size = curve.coordinateByteCount
        var r: OpaquePointer?
        var s: OpaquePointer?
        ECDSA_SIG_get0(signature, &r, &s)
        var out = [UInt8](repeating: 0, count: 2 * size)
        let written = out.withUnsafeMutableBufferPointer { buffer -> Bool in
            guard let r, let s else { return false }
            return BN_bn2binpad(r, buffer.baseAddress, Int32(size)) == Int32(size)
                && BN_bn2binpad(s, buffer.baseAddress! + size, Int32(size)) == Int32(size)
        }
        guard written else { throw OpenSSLError.backendFailure("BN_bn2binpad") }
        return out
    }

    /// A new `ECDSA_SIG` (the caller frees it) holding the r and s of a raw R||S signature, or
    /// `nil` when the signature has the wrong length for the curve or r or s is zero or not
    /// below the group order (CVE-2022-21449 "psychic signatures"), or OpenSSL fails.
    static func signature(fromRaw raw: UnsafeRawBufferPointer, curve: ECCurve) -> OpaquePointer? {
        guard hasPartsInRange(raw, curve: curve), let signature = ECDSA_SIG_new() else { return nil }
        let size = curve.coordinateByteCount
        let bytes = raw.baseAddress!.assumingMemoryBound(to: UInt8.self)
        let r = BN_bin2bn(bytes, Int32(size), nil)
        let s = BN_bin2bn(bytes + size, Int32(size), nil)
        guard let r, let s, ECDSA_SIG_set0(signature, r, s) == 1 else {
            BN_free(r)
            BN_free(s)
            ECDSA_SIG_free(signature)
            return nil
        }
        return signature
    }

    /// A new `ECDSA_SIG` (the caller frees it) from its DER form, by OpenSSL's decoder, which
    /// must use every byte; `nil` otherwise.
    static func signature(fromDER der: ArraySlice<UInt8>) -> OpaquePointer? {
        der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            guard let start = buffer.baseAddress else { return nil }
            var cursor: UnsafePointer<UInt8>? = start
            guard let signature = d2i_ECDSA_SIG(nil, &cursor, buffer.count) else { return nil }
            guard cursor == start + buffer.count else {
                ECDSA_SIG_free(signature)
                return nil
            }
            return signature
        }
    }

    /// The DER form of an `ECDSA_SIG`, by OpenSSL's encoder; `nil` when it fails.
    static func der(of signature: OpaquePointer) -> [UInt8]? {
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }

    /// Whether a raw R||S signature has the curve's length and r and s both in 1..<order.
    private static func hasPartsInRange(_ raw: UnsafeRawBufferPointer, curve: ECCurve) -> Bool {
        let size = curve.coordinateByteCount
        let order = curve.order
        guard raw.count == 2 * size, order.count == size else { return false }
        return order.withUnsafeBytes { order in
            isInRange(UnsafeRawBufferPointer(rebasing: raw[..<size]), order: order)
                && isInRange(UnsafeRawBufferPointer(rebasing: raw[size...]), order: order)
        }
    }

    /// Whether 0 < value < order, both big-endian of the same length.
    static func isInRange(_ value: UnsafeRawBufferPointer, order: UnsafeRawBufferPointer) -> Bool {
        guard value.contains(where: { $0 != 0 }) else { return false }
        for (v, n) in zip(value, order) where v != n { return v < n }
        return false  // equal to the order
    }
}
