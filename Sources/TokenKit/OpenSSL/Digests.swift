internal import COpenSSL

/// The SHA-2 hash functions JWS uses, each fetched from OpenSSL once and cached.
enum DigestKind: Sendable, Hashable {
    case sha256, sha384, sha512

    /// The output length in bytes.
    var byteCount: Int {
        switch self {
        case .sha256: return 32
        case .sha384: return 48
        case .sha512: return 64
        }
    }

    /// The digest for a hash length of 32, 48 or 64 bytes.
    init?(byteCount: Int) {
        switch byteCount {
        case 32: self = .sha256
        case 48: self = .sha384
        case 64: self = .sha512
        default: return nil
        }
    }

    /// The cached OpenSSL digest, or `nil` when the provider does not offer it.
    var fetched: FetchedDigest? {
        switch self {
        case .sha256: return FetchedDigest.sha256
        case .sha384: return FetchedDigest.sha384
        case .sha512: return FetchedDigest.sha512
        }
    }
}

/// An `EVP_MD` fetched once (`EVP_sha256()` and friends look the algorithm up on every call).
final class FetchedDigest: @unchecked Sendable {
    let pointer: OpaquePointer

    private init?(name: String) {
        guard let pointer = EVP_MD_fetch(nil, name, nil) else {
            OpenSSLError.clear()
            return nil
        }
        self.pointer = pointer
    }

    deinit { EVP_MD_free(pointer) }

    static let sha256 = FetchedDigest(name: "SHA256")
    static let sha384 = FetchedDigest(name: "SHA384")
    static let sha512 = FetchedDigest(name: "SHA512")
}

/// One-shot hashing.
enum Digest {
    /// Writes the `digest` hash of `input` to `out` (at least `digest.byteCount` bytes);
    /// `false` when OpenSSL fails. With `builtin` (by default
    /// ``OpenSSLRuntime/mayUseBuiltinCode``), through OpenSSL's low-level SHA functions (no
    /// fetch: see `CTokenShim_sha2`); else, or should they fail, through `EVP_Digest` and the
    /// providers.
    static func hash(
        _ input: UnsafeRawBufferPointer, with digest: DigestKind, into out: UnsafeMutableRawBufferPointer,
        builtin: Bool = OpenSSLRuntime.mayUseBuiltinCode
    ) -> Bool {
        guard out.count >= digest.byteCount, let target = out.baseAddress?.assumingMemoryBound(to: UInt8.self) else {
            return false
        }
        return input.withNonNullBytes { bytes, count in
            if builtin, CTokenShim_sha2(Int32(digest.byteCount * 8), bytes, count, target) == 1 { return true }
            guard let md = digest.fetched else { return false }
            var length: UInt32 = 0
            return EVP_Digest(bytes, count, target, &length, md.pointer, nil) == 1 && Int(length) == digest.byteCount
        }
    }

    /// The SHA-256 hash of `bytes`.
    ///
    /// - Throws: ``TokenError/Code/backendFailure``.
    static func sha256(_ bytes: [UInt8]) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: DigestKind.sha256.byteCount)
        let ok = bytes.withUnsafeBytes { input in out.withUnsafeMutableBytes { hash(input, with: .sha256, into: $0) } }
        guard ok else { throw OpenSSLError.backendFailure("SHA-256") }
        return out
    }
}

/// HMAC (RFC 2104) of one message, through a context made for it (``HMACContext``).
enum HMACBackend {
    /// The authentication code of `data` under `key`, a secret's owned buffer lent by
    /// ``SecretBytes/withUnsafeBytes(_:)``: its pointer goes to OpenSSL as it is, no copy.
    ///
    /// - Throws: ``TokenError/Code/backendFailure``.
    static func authenticationCode(digest: DigestKind, key: UnsafeRawBufferPointer, data: [UInt8]) throws -> [UInt8] {
        guard let context = HMACContext.keyed(digest: digest, key: key) else {
            throw OpenSSLError.backendFailure("HMAC")
        }
        defer { context.free() }
        var out = [UInt8](repeating: 0, count: digest.byteCount)
        let ok = data.withUnsafeBytes { data in out.withUnsafeMutableBytes { context.authenticationCode(of: data, into: $0) } }
        guard ok else { throw OpenSSLError.backendFailure("HMAC") }
        return out
    }

    /// Whether two byte strings are equal, in time that depends only on their lengths.
    static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withNonNullBytes { left, count in
            rhs.withNonNullBytes { right, _ in CRYPTO_memcmp(left, right, count) == 0 }
        }
    }
}

/// Random bytes from OpenSSL's CSPRNG.
public enum SecureRandom {
    /// `count` random bytes.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    public static func bytes(count: Int) throws -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard count == 0 || RAND_bytes(&out, Int32(count)) == 1 else {
            throw OpenSSLError.backendFailure("RAND_bytes")
        }
        return out
    }

    /// Fills `buffer` with random bytes in place (for secrets that must not pass through a
    /// Swift array), returning its length.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    static func fill(_ buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        guard RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(buffer.count)) == 1 else {
            throw OpenSSLError.backendFailure("RAND_bytes")
        }
        return buffer.count
    }
}
