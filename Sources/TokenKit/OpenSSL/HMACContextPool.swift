internal import COpenSSL

/// Keyed HMAC contexts (`EVP_MAC_CTX`) of one secret, reused across messages: the key is
/// set once per context (the padded key blocks are hashed once), and each message only
/// re-initialises the context (`EVP_MAC_init` without a key restarts from the keyed state),
/// so a batch verifies without a fetch, allocation or key schedule per token.
///
/// Each thread keeps its own free list (``PerThread``), so verification stays parallel and a
/// context stays with the thread (and processor cache) that used it.
/// The contexts hold OpenSSL's copy of the key, which OpenSSL cleanses when they are freed.
final class HMACContextPool: @unchecked Sendable {
    /// An `EVP_MAC_CTX` owned by the pool while it is in the free list.
    private struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
        let digest: DigestKind
    }

    private let free = PerThread<[Context]> { [] }

    /// OpenSSL's HMAC implementation, fetched once.
    private static let mac: FetchedMAC? = FetchedMAC(name: "HMAC")

    init() {}

    deinit { free.forEach { $0.forEach { EVP_MAC_CTX_free($0.pointer) } } }

    /// Whether `tag` is the authentication code of `data` under `key` with `digest`, compared
    /// in constant time; the code is computed into a stack buffer. `false` when OpenSSL fails.
    func isValidTag(_ tag: UnsafeRawBufferPointer, digest: DigestKind, key: SecretBytes, data: UnsafeRawBufferPointer) -> Bool {
        guard tag.count == digest.byteCount else { return false }
        return withUnsafeTemporaryAllocation(byteCount: Int(EVP_MAX_MD_SIZE), alignment: 16) { expected in
            guard authenticationCode(digest: digest, key: key, data: data, into: expected) else { return false }
            return CRYPTO_memcmp(expected.baseAddress!, tag.baseAddress!, digest.byteCount) == 0
        }
    }

    /// The authentication code of `data` under `key` with `digest`, written to `out` (at
    /// least `digest.byteCount` bytes); `false` when OpenSSL fails.
    func authenticationCode(
        digest: DigestKind, key: SecretBytes, data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard out.count >= digest.byteCount, let context = take(digest: digest, key: key) else { return false }
        var ok = EVP_MAC_init(context.pointer, nil, 0, nil) == 1
        if ok, data.count > 0 {
            ok = EVP_MAC_update(context.pointer, data.baseAddress!.assumingMemoryBound(to: UInt8.self), data.count) == 1
        }
        var length = 0
        if ok {
            ok = EVP_MAC_final(context.pointer, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, out.count) == 1
                && length == digest.byteCount
        }
        if ok {
            free.withLock { $0.append(context) }
        } else {
            EVP_MAC_CTX_free(context.pointer)
            OpenSSLError.clear()
        }
        return ok
    }

    /// A free context for `digest`, or a new one keyed with `key`.
    private func take(digest: DigestKind, key: SecretBytes) -> Context? {
        let reused = free.withLock { list -> Context? in
            guard let index = list.lastIndex(where: { $0.digest == digest }) else { return nil }
            return list.remove(at: index)
        }
        if let reused { return reused }
        guard let mac = Self.mac, let context = EVP_MAC_CTX_new(mac.pointer) else { return nil }
        var name = Array(digest.openSSLName.utf8CString)
        let keyed = name.withUnsafeMutableBufferPointer { nameBuffer -> Bool in
            var params = [
                OSSL_PARAM_construct_utf8_string(staticCString("digest"), nameBuffer.baseAddress, 0),
                OSSL_PARAM_construct_end(),
            ]
            return key.withUnsafeBytes { secret in
                EVP_MAC_init(
                    context, secret.baseAddress!.assumingMemoryBound(to: UInt8.self), secret.count, &params) == 1
            }
        }
        guard keyed else {
            EVP_MAC_CTX_free(context)
            OpenSSLError.clear()
            return nil
        }
        return Context(pointer: context, digest: digest)
    }
}

/// An `EVP_MAC` fetched once.
final class FetchedMAC: @unchecked Sendable {
    let pointer: OpaquePointer

    init?(name: String) {
        guard let pointer = EVP_MAC_fetch(nil, name, nil) else {
            OpenSSLError.clear()
            return nil
        }
        self.pointer = pointer
    }

    deinit { EVP_MAC_free(pointer) }
}

extension DigestKind {
    /// OpenSSL's name of the digest.
    var openSSLName: String {
        switch self {
        case .sha256: return "SHA256"
        case .sha384: return "SHA384"
        case .sha512: return "SHA512"
        }
    }
}
