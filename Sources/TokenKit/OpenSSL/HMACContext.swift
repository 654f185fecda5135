internal import COpenSSL

/// One keyed OpenSSL HMAC context, keyed once; each message restarts it from the keyed state.
///
/// Without an OpenSSL configuration (``OpenSSLRuntime/mayUseBuiltinCode``) it is an `HMAC_CTX`
/// over libcrypto's built-in SHA-2 (``BuiltinDigest``): nothing is fetched, and a message
/// allocates nothing. Else it is an `EVP_MAC_CTX` of the HMAC the configured providers offer.
/// Used by one thread at a time; its owner calls ``free()``, and OpenSSL then cleanses its copy
/// of the key.
struct HMACContext: @unchecked Sendable {
    private enum Handle {
        /// An `HMAC_CTX`.
        case builtin(OpaquePointer)
        /// An `EVP_MAC_CTX`.
        case provider(OpaquePointer)
    }

    private let handle: Handle
    /// The hash function.
    let digest: DigestKind

    /// A context for `digest` keyed with `key`, through the built-in code when `builtin`;
    /// `nil` when OpenSSL fails.
    static func keyed(
        digest: DigestKind, key: UnsafeRawBufferPointer, builtin: Bool = OpenSSLRuntime.mayUseBuiltinCode
    ) -> HMACContext? {
        // OpenSSL keys a context only with a non-null key pointer, even for an empty key.
        key.withNonNullBytes { key, count in
            builtin ? builtinContext(digest: digest, key: key, count: count)
                : providerContext(digest: digest, key: key, count: count)
        }
    }

    private static func builtinContext(digest: DigestKind, key: UnsafePointer<UInt8>, count: Int) -> HMACContext? {
        guard let method = digest.builtin, count <= Int(Int32.max), let context = CTokenShim_HMAC_CTX_new() else {
            return nil
        }
        guard CTokenShim_HMAC_Init_ex(context, key, Int32(count), method.pointer) == 1 else {
            CTokenShim_HMAC_CTX_free(context)
            OpenSSLError.clear()
            return nil
        }
        return HMACContext(handle: .builtin(context), digest: digest)
    }

    private static func providerContext(digest: DigestKind, key: UnsafePointer<UInt8>, count: Int) -> HMACContext? {
        guard let mac = FetchedMAC.hmac, let context = EVP_MAC_CTX_new(mac.pointer) else { return nil }
        var name = Array(digest.openSSLName.utf8CString)
        let keyed = name.withUnsafeMutableBufferPointer { nameBuffer -> Bool in
            var params = [
                OSSL_PARAM_construct_utf8_string(staticCString("digest"), nameBuffer.baseAddress, 0),
                OSSL_PARAM_construct_end(),
            ]
            return EVP_MAC_init(context, key, count, &params) == 1
        }
        guard keyed else {
            EVP_MAC_CTX_free(context)
            OpenSSLError.clear()
            return nil
        }
        return HMACContext(handle: .provider(context), digest: digest)
    }

    /// Writes the authentication code of `data` to `out` (at least `digest.byteCount` bytes);
    /// `false` when OpenSSL fails (the context should then be freed).
    func authenticationCode(of data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard out.count >= digest.byteCount, let target = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return false
        }
        let bytes = data.baseAddress?.assumingMemoryBound(to: UInt8.self)
        switch handle {
        case .builtin(let context):
            var length: UInt32 = 0
            guard CTokenShim_HMAC_Init_ex(context, nil, 0, nil) == 1,
                data.count == 0 || CTokenShim_HMAC_Update(context, bytes, data.count) == 1,
                CTokenShim_HMAC_Final(context, target, &length) == 1
            else { return false }
            return Int(length) == digest.byteCount
        case .provider(let context):
            var length = 0
            guard EVP_MAC_init(context, nil, 0, nil) == 1,
                data.count == 0 || EVP_MAC_update(context, bytes, data.count) == 1,
                EVP_MAC_final(context, target, &length, out.count) == 1
            else { return false }
            return length == digest.byteCount
        }
    }

    /// Frees the context (OpenSSL cleanses the key states); it must not be used again.
    func free() {
        switch handle {
        case .builtin(let context): CTokenShim_HMAC_CTX_free(context)
        case .provider(let context): EVP_MAC_CTX_free(context)
        }
    }
}

/// libcrypto's built-in SHA-2 as a legacy `EVP_MD` (`CTokenShim_new_builtin_sha2`), made once
/// and never freed, for ``HMACContext`` without a fetch.
final class BuiltinDigest: @unchecked Sendable {
    let pointer: OpaquePointer

    private init?(bits: Int32) {
        guard let pointer = CTokenShim_new_builtin_sha2(bits) else { return nil }
        self.pointer = pointer
    }

    static let sha256 = BuiltinDigest(bits: 256)
    static let sha384 = BuiltinDigest(bits: 384)
    static let sha512 = BuiltinDigest(bits: 512)
}

extension DigestKind {
    /// The built-in digest method, or `nil` when OpenSSL could not make it.
    var builtin: BuiltinDigest? {
        switch self {
        case .sha256: return BuiltinDigest.sha256
        case .sha384: return BuiltinDigest.sha384
        case .sha512: return BuiltinDigest.sha512
        }
    }

    /// OpenSSL's name of the digest.
    var openSSLName: String {
        switch self {
        case .sha256: return "SHA256"
        case .sha384: return "SHA384"
        case .sha512: return "SHA512"
        }
    }
}

/// An `EVP_MAC` fetched once.
final class FetchedMAC: @unchecked Sendable {
    let pointer: OpaquePointer

    private init?(name: String) {
        guard let pointer = EVP_MAC_fetch(nil, name, nil) else {
            OpenSSLError.clear()
            return nil
        }
        self.pointer = pointer
    }

    deinit { EVP_MAC_free(pointer) }

    /// OpenSSL's HMAC, fetched at first use.
    static let hmac = FetchedMAC(name: "HMAC")
}
