internal import COpenSSL

/// Keyed HMAC contexts (``HMACContext``) of one secret, reused across messages: the key is
/// set once per context (the padded key blocks are hashed once), and each message only
/// restarts the context from its keyed state, so a batch verifies without a fetch or key
/// schedule per token.
///
/// Each thread keeps its own contexts (``PerThread``), so verification stays parallel and a
/// context stays with the thread (and processor cache) that used it.
/// The contexts hold OpenSSL's copy of the key, which OpenSSL cleanses when they are freed.
final class HMACContextPool: @unchecked Sendable {
    /// Each thread's contexts, one per digest used.
    private let contexts = PerThread<[HMACContext]> { [] }

    init() {}

    deinit { contexts.forEach { $0.forEach { $0.free() } } }

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
        // The usual case, a context this thread keyed before: the closure captures no
        // reference (not the key), so a message costs no reference counting.
        let computed = contexts.withLock { list -> Bool? in
            guard let index = list.lastIndex(where: { $0.digest == digest }) else { return nil }
            return Self.authenticationCode(with: &list, at: index, data: data, into: out)
        }
        if let computed { return computed }
        guard let made = key.withUnsafeBytes({ HMACContext.keyed(digest: digest, key: $0) }) else { return false }
        return contexts.withLock { list in
            list.append(made)
            return Self.authenticationCode(with: &list, at: list.count - 1, data: data, into: out)
        }
    }

    /// Computes the code with the context at `index` of `list`; a context that fails is
    /// dropped from the list and freed.
    private static func authenticationCode(
        with list: inout [HMACContext], at index: Int, data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer
    ) -> Bool {
        let context = list[index]
        guard context.authenticationCode(of: data, into: out) else {
            list.remove(at: index)
            context.free()
            OpenSSLError.clear()
            return false
        }
        return true
    }
}
