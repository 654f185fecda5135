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
        if case .ecdsa(let digest) = scheme, case .ec(let curve) = kind {
            return try signPrehashed(input, curve: curve, digest: digest)
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

    /// ECDSA: hashes `input` (``Digest/hash(_:with:into:)``, no digest fetch) and signs the
    /// hash with `EVP_PKEY_sign`, as ``verifyPrehashed(_:curve:over:digest:)`` verifies: the
    /// same signature `EVP_DigestSign` makes, without the digest-signing context.
    private func signPrehashed(_ input: [UInt8], curve: ECCurve, digest: DigestKind) throws -> [UInt8] {
        var hash = [UInt8](repeating: 0, count: digest.byteCount)
        let hashed = input.withUnsafeBytes { bytes in hash.withUnsafeMutableBytes { Digest.hash(bytes, with: digest, into: $0) } }
        guard hashed else { throw OpenSSLError.backendFailure("hashing with \(digest)") }
        guard let context = EVP_PKEY_CTX_new_from_pkey(nil, pointer, nil) else {
            throw OpenSSLError.backendFailure("EVP_PKEY_CTX_new_from_pkey")
        }
        defer { EVP_PKEY_CTX_free(context) }
        guard EVP_PKEY_sign_init(context) == 1 else { throw OpenSSLError.backendFailure("EVP_PKEY_sign_init") }
        var der = [UInt8](repeating: 0, count: ECDSAEncoding.maxDERByteCount)
        var length = der.count
        guard EVP_PKEY_sign(context, &der, &length, hash, hash.count) == 1 else {
            throw OpenSSLError.backendFailure("EVP_PKEY_sign")
        }
        der.removeSubrange(length...)
        return try ECDSAEncoding.raw(fromDER: der, curve: curve)
    }

    /// Whether `signature` is a valid JWS signature over `input`. Never throws: any
    /// malformed signature or OpenSSL failure is `false`, and the error queue is emptied.
    func verify(_ signature: UnsafeRawBufferPointer, over input: UnsafeRawBufferPointer, scheme: SignatureScheme) -> Bool {
        defer { OpenSSLError.clear() }
        switch (scheme, kind) {
        case (.ecdsa(let digest), .ec(let curve)):
            return verifyPrehashed(signature, curve: curve, over: input, digest: digest)
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

    /// ECDSA: hashes `input` (``Digest/hash(_:with:into:)``) into a stack buffer, writes the DER form of
    /// the raw R||S signature into another, and verifies with a verification context kept for
    /// this key (as `openssl speed` does), instead of setting up a digest-verify context and
    /// allocating for every token.
    private func verifyPrehashed(
        _ raw: UnsafeRawBufferPointer, curve: ECCurve, over input: UnsafeRawBufferPointer, digest: DigestKind
    ) -> Bool {
        return withUnsafeTemporaryAllocation(byteCount: ECDSAEncoding.maxDERByteCount + Int(EVP_MAX_MD_SIZE), alignment: 16) {
            buffer in
            let der = UnsafeMutableRawBufferPointer(rebasing: buffer[..<ECDSAEncoding.maxDERByteCount])
            let hash = UnsafeMutableRawBufferPointer(rebasing: buffer[ECDSAEncoding.maxDERByteCount...])
            guard let derCount = ECDSAEncoding.writeDER(fromRaw: raw, curve: curve, into: der)
            else { return false }
            guard Digest.hash(input, with: digest, into: hash) else { return false }
            guard let context = verifyContexts.take(for: pointer) else { return false }
            let valid = EVP_PKEY_verify(
                context, der.baseAddress!.assumingMemoryBound(to: UInt8.self), derCount,
                hash.baseAddress!.assumingMemoryBound(to: UInt8.self), digest.byteCount) == 1
            verifyContexts.give(back: context)
            return valid
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
        guard raw.count == 2 * size, raw.withUnsafeBytes({ hasPartsInRange($0, curve: curve) }) else { return nil }
        return (Array(raw[..<size]), Array(raw[size...]))
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

    /// The longest DER signature ``writeDER(fromRaw:curve:into:)`` writes (P-521: 2 × (66 + 3) + 3).
    static let maxDERByteCount = 160

    /// The DER form of a raw R||S signature, or `nil` when ``rawParts(_:curve:)`` refuses it.
    static func der(fromRaw raw: [UInt8], curve: ECCurve) -> [UInt8]? {
        var out = [UInt8](repeating: 0, count: maxDERByteCount)
        guard let count = raw.withUnsafeBytes({ raw in
            out.withUnsafeMutableBytes { writeDER(fromRaw: raw, curve: curve, into: $0) }
        }) else { return nil }
        out.removeSubrange(count...)
        return out
    }

    /// Writes the DER form of a raw R||S signature into `out` (at least ``maxDERByteCount``
    /// bytes) and returns its length, or `nil` when the signature has the wrong length or r or
    /// s is out of range. DER by hand (SEQUENCE of two minimal positive INTEGERs): what
    /// `i2d_ECDSA_SIG` writes, without a BIGNUM round trip or an allocation per signature.
    static func writeDER(fromRaw raw: UnsafeRawBufferPointer, curve: ECCurve, into out: UnsafeMutableRawBufferPointer) -> Int? {
        guard out.count >= maxDERByteCount, hasPartsInRange(raw, curve: curve) else { return nil }
        let size = curve.coordinateByteCount
        var position = 0
        func put(_ byte: UInt8) {
            out[position] = byte
            position += 1
        }
        func putLength(_ count: Int) {
            if count >= 0x80 { put(0x81) }  // at most 2 × 69 bytes: one length byte always suffices
            put(UInt8(count))
        }
        // The minimal big-endian INTEGER content of a part: leading zeros dropped, one 0 put
        // back when the top bit is set.
        func content(_ part: UnsafeRawBufferPointer) -> (start: Int, pad: Bool) {
            var start = 0
            while start < part.count - 1, part[start] == 0 { start += 1 }
            return (start, part[start] & 0x80 != 0)
        }
        let r = UnsafeRawBufferPointer(rebasing: raw[..<size])
        let s = UnsafeRawBufferPointer(rebasing: raw[size...])
        let (rStart, rPad) = content(r)
        let (sStart, sPad) = content(s)
        let rCount = size - rStart + (rPad ? 1 : 0)
        let sCount = size - sStart + (sPad ? 1 : 0)
        func lengthBytes(_ count: Int) -> Int { count >= 0x80 ? 2 : 1 }
        let body = 1 + lengthBytes(rCount) + rCount + 1 + lengthBytes(sCount) + sCount
        put(0x30)
        putLength(body)
        func putInteger(_ part: UnsafeRawBufferPointer, start: Int, pad: Bool, count: Int) {
            put(0x02)
            putLength(count)
            if pad { put(0) }
            for index in start..<part.count { put(part[index]) }
        }
        putInteger(r, start: rStart, pad: rPad, count: rCount)
        putInteger(s, start: sStart, pad: sPad, count: sCount)
        return position
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
    static func isInRange(_ value: UnsafeRawBufferPointer, order: UnsafeRawBufferPointer) -> Bool {
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
