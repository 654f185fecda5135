internal import COpenSSL
import Synchronization

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
    ///
    /// The caller has checked that the scheme fits the key.
    /// - Throws: ``TokenError/Code/backendFailure``.
    func sign(_ input: [UInt8], scheme: SignatureScheme) throws -> [UInt8] {
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
        if case .ecdsa = scheme, case .ec(let curve) = kind {
            return try ECDSAEncoding.raw(fromDER: signature, curve: curve)
        }
        return signature
    }

    /// Whether `signature` is a valid JWS signature over `input`. Never throws: any
    /// malformed signature or OpenSSL failure is `false`, and the error queue is emptied.
    func verify(_ signature: [UInt8], over input: [UInt8], scheme: SignatureScheme) -> Bool {
        defer { OpenSSLError.clear() }
        var encoded = signature
        switch (scheme, kind) {
        case (.ecdsa, .ec(let curve)):
            guard let der = ECDSAEncoding.der(fromRaw: signature, curve: curve) else { return false }
            encoded = der
        case (.rsaPKCS1, .rsa(let bits)), (.rsaPSS, .rsa(let bits)):
            guard signature.count == (bits + 7) / 8 else { return false }
        case (.eddsa, .okp(let curve)):
            guard signature.count == 2 * curve.keyByteCount,
                EdwardsEncoding.weakness(Array(signature.prefix(curve.keyByteCount)), curve: curve) == nil
            else { return false }
        default:
            return false
        }
        if case .ecdsa(let digest) = scheme {
            return verifyPrehashed(encoded, over: input, digest: digest)
        }
        guard let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        guard (try? initialize(context, scheme: scheme, forSigning: false)) != nil else { return false }
        return encoded.withNonNullBytes { signatureBytes, signatureCount in
            input.withNonNullBytes { inputBytes, inputCount in
                EVP_DigestVerify(context, signatureBytes, signatureCount, inputBytes, inputCount) == 1
            }
        }
    }

    /// ECDSA: hashes `input` with the cached digest and verifies the DER signature with a
    /// verification context kept for this key (as `openssl speed` does), instead of setting up
    /// a digest-verify context for every token.
    private func verifyPrehashed(_ der: [UInt8], over input: [UInt8], digest: DigestKind) -> Bool {
        guard let md = digest.fetched?.pointer else { return false }
        var hash = [UInt8](repeating: 0, count: 64)
        var hashLength: UInt32 = 0
        let hashed = input.withNonNullBytes { bytes, count in
            EVP_Digest(bytes, count, &hash, &hashLength, md, nil) == 1
        }
        guard hashed, Int(hashLength) == digest.byteCount else { return false }
        guard let context = verifyContexts.take(for: pointer) else { return false }
        let valid = der.withNonNullBytes { signatureBytes, signatureCount in
            EVP_PKEY_verify(context, signatureBytes, signatureCount, hash, Int(hashLength)) == 1
        }
        verifyContexts.give(back: context)
        return valid
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

/// Conversion between JWS's raw R||S ECDSA signatures (RFC 7518 §3.4) and OpenSSL's DER.
enum ECDSAEncoding {
    /// The fixed-length R||S form of a DER `ECDSA-Sig-Value`.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when OpenSSL's own output does not parse.
    static func raw(fromDER der: [UInt8], curve: ECCurve) throws -> [UInt8] {
        let size = curve.coordinateByteCount
        let signature: OpaquePointer? = der.withUnsafeBufferPointer { buffer in
            var cursor: UnsafePointer<UInt8>? = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &cursor, buffer.count)
        }
        guard let signature else { throw OpenSSLError.backendFailure("d2i_ECDSA_SIG") }
        defer { ECDSA_SIG_free(signature) }
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

    /// r and s of a raw R||S signature, or `nil` when it has the wrong length or r or s is
    /// zero or not below the group order (CVE-2022-21449 "psychic signatures").
    private static func rawParts(_ raw: [UInt8], curve: ECCurve) -> (r: [UInt8], s: [UInt8])? {
        let size = curve.coordinateByteCount
        let order = curve.order
        guard raw.count == 2 * size, order.count == size else { return nil }
        let r = Array(raw[..<size])
        let s = Array(raw[size...])
        guard isInRange(r, order: order), isInRange(s, order: order) else { return nil }
        return (r, s)
    }

    /// The DER form of a raw R||S signature, or `nil` when ``rawParts(_:curve:)`` refuses it.
    static func der(fromRaw raw: [UInt8], curve: ECCurve) -> [UInt8]? {
        guard let (r, s) = rawParts(raw, curve: curve) else { return nil }
        // DER by hand (SEQUENCE of two minimal positive INTEGERs): what i2d_ECDSA_SIG writes,
        // without a BIGNUM round trip per signature.
        func integer(_ bytes: [UInt8]) -> [UInt8] {
            var value = ArraySlice(bytes.drop { $0 == 0 })
            if value.first! & 0x80 != 0 { value.insert(0, at: value.startIndex) }
            return [0x02] + length(value.count) + value
        }
        func length(_ count: Int) -> [UInt8] {
            count < 0x80 ? [UInt8(count)] : count < 0x100 ? [0x81, UInt8(count)] : [0x82, UInt8(count >> 8), UInt8(count & 0xFF)]
        }
        let body = integer(r) + integer(s)
        return [0x30] + length(body.count) + body
    }

    /// The DER form through OpenSSL's own encoder (kept to cross-check the hand-written one in tests).
    static func derThroughOpenSSL(fromRaw raw: [UInt8], curve: ECCurve) -> [UInt8]? {
        guard let (r, s) = rawParts(raw, curve: curve) else { return nil }
        guard let signature = ECDSA_SIG_new() else { return nil }
        defer { ECDSA_SIG_free(signature) }
        guard let rBN = r.withNonNullBytes({ BN_bin2bn($0, Int32($1), nil) }) else { return nil }
        guard let sBN = s.withNonNullBytes({ BN_bin2bn($0, Int32($1), nil) }) else {
            BN_free(rBN)
            return nil
        }
        guard ECDSA_SIG_set0(signature, rBN, sBN) == 1 else {
            BN_free(rBN)
            BN_free(sBN)
            return nil
        }
        let length = i2d_ECDSA_SIG(signature, nil)
        guard length > 0 else { return nil }
        var der = [UInt8](repeating: 0, count: Int(length))
        let written = der.withUnsafeMutableBufferPointer { buffer -> Int32 in
            var cursor = buffer.baseAddress
            return i2d_ECDSA_SIG(signature, &cursor)
        }
        return written == length ? der : nil
    }

    /// Whether 0 < value < order, both big-endian of the same length.
    static func isInRange(_ value: [UInt8], order: [UInt8]) -> Bool {
        guard value.contains(where: { $0 != 0 }) else { return false }
        for (v, n) in zip(value, order) where v != n { return v < n }
        return false  // equal to the order
    }
}

/// Verification contexts (`EVP_PKEY_CTX` after `EVP_PKEY_verify_init`) of one key, reused
/// across signatures; each thread takes one of its own, so verification stays parallel.
final class VerifyContextPool: @unchecked Sendable {
    /// An `EVP_PKEY_CTX` owned by the pool while it is in the free list.
    private struct Context: @unchecked Sendable { let pointer: OpaquePointer }
    private let free = Locked<[Context]>([])  // not Mutex: ThreadSanitizer sees this lock (Locked)

    init() {}

    deinit { free.withLock { $0.forEach { EVP_PKEY_CTX_free($0.pointer) } } }

    /// A context for `key`: a free one, or a new one.
    func take(for key: OpaquePointer) -> OpaquePointer? {
        if let context = free.withLock({ $0.popLast() }) { return context.pointer }
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, key, nil) else { return nil }
        guard EVP_PKEY_verify_init(context) == 1 else {
            EVP_PKEY_CTX_free(context)
            return nil
        }
        return context
    }

    /// Returns a context taken with ``take(for:)``.
    func give(back context: OpaquePointer) {
        let owned = Context(pointer: context)
        free.withLock { $0.append(owned) }
    }
}
