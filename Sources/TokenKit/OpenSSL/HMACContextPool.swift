internal import COpenSSL

/// Keyed HMAC contexts (`EVP_MAC_CTX`) of one secret, reused across messages: the key is
/// set once per context (the padded key blocks are hashed once), and each message only
/// re-initialises the context (`EVP_MAC_init` without a key restarts from the keyed state),
/// so a batch verifies without a fetch, allocation or key schedule per token.
///
/// Each thread keeps its own contexts (``PerThread``), so verification stays parallel and a
/// context stays with the thread (and processor cache) that used it.
/// The contexts hold OpenSSL's copy of the key, which OpenSSL cleanses when they are freed.
final class HMACContextPool: @unchecked Sendable {
    /// An `EVP_MAC_CTX` the pool owns.
    private struct Context: @unchecked Sendable {
        let pointer: OpaquePointer
        let digest: DigestKind
    }

    /// Each thread's contexts, one per digest used.
    private let contexts = PerThread<[Context]> { [] }

    /// OpenSSL's HMAC implementation, fetched once.
    private static let mac: FetchedMAC? = FetchedMAC(name: "HMAC")

    init() {}

    deinit { contexts.forEach { $0.forEach { EVP_MAC_CTX_free($0.pointer) } } }

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
    ///
    /// The context is used where it lies in the thread's list, which no other thread uses
    /// meanwhile (``PerThread``): it is neither taken out nor put back.
    func authenticationCode(
        digest: DigestKind, key: SecretBytes, data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        guard out.count >= digest.byteCount else { return false }
        return contexts.withLock { list in
            let index: Int
            if let found = list.lastIndex(where: { $0.digest == digest }) {
                index = found
            } else {
                guard let made = Self.keyedContext(digest: digest, key: key) else { return false }
                list.append(made)
                index = list.count - 1
            }
            let context = list[index].pointer
            var ok = EVP_MAC_init(context, nil, 0, nil) == 1
            if ok, data.count > 0 {
                ok = EVP_MAC_update(context, data.baseAddress!.assumingMemoryBound(to: UInt8.self), data.count) == 1
            }
            var length = 0
            if ok {
                ok = EVP_MAC_final(context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, out.count) == 1
                    && length == digest.byteCount
            }
            if !ok {
                list.remove(at: index)
                EVP_MAC_CTX_free(context)
                OpenSSLError.clear()
            }
            return ok
        }
    }

    /// A new context for `digest` keyed with `key`.
    private static func keyedContext(digest: DigestKind, key: SecretBytes) -> Context? {
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
