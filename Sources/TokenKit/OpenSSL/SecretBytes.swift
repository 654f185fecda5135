internal import COpenSSL

/// Secret bytes (an HMAC key, an API-key secret) in one buffer that this object owns and
/// wipes with `OPENSSL_cleanse` in `deinit`.
///
/// What is wiped: the owned buffer, always, when the last reference to this object goes; it
/// is allocated once, never resized, never shared with a Swift array (so copy-on-write can
/// never leave an unwiped twin), and ``withUnsafeBytes(_:)`` lends it without copying.
///
/// What is NOT wiped:
/// - the `[UInt8]` given to ``init(_:)`` (use ``init(wiping:)`` to wipe the source when the
///   caller owns it uniquely; a Swift array shared elsewhere cannot be wiped from here);
/// - each array returned by ``bytes`` (a fresh copy per call, for code paths that take
///   `[UInt8]`: HMAC computation, JWK export, keyset and API-key secret stores); it lives until
///   its caller drops it and is then freed without being overwritten;
/// - copies made by OpenSSL inside its own HMAC context (OpenSSL cleanses those itself);
/// - text encodings of the secret that are written out on purpose (a keyset's private file).
final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    /// Keyed HMAC contexts of this secret, reused by verification (``HMACContextPool``).
    let hmacContexts = HMACContextPool()

    /// Copies `bytes` into a new owned buffer; `bytes` itself is left as it is.
    init(_ bytes: [UInt8]) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(bytes.count, 1), alignment: 16)
        bytes.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.baseAddress!.copyMemory(from: base, byteCount: source.count) }
        }
        storage = buffer
        count = bytes.count
    }

    /// Copies `bytes` into a new owned buffer and overwrites `bytes` with zeros (in place when
    /// the caller's array is its only owner).
    convenience init(wiping bytes: inout [UInt8]) {
        self.init(bytes)
        SecretBytes.wipe(&bytes)
    }

    /// The number of bytes.
    let count: Int

    /// A copy of the secret as an array. The copy is not wiped (see the type's notes):
    /// prefer ``withUnsafeBytes(_:)``.
    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }

    /// Lends the owned buffer to `body` without copying it; `body` must not keep the pointer.
    func withUnsafeBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        try body(UnsafeRawBufferPointer(start: storage.baseAddress, count: count))
    }

    /// Overwrites an array's bytes with zeros through `OPENSSL_cleanse`, which the compiler
    /// may not remove. A buffer shared with another array is copied first by Swift, and then
    /// only the copy is wiped: call it on arrays this code alone holds (file read buffers,
    /// decoded secrets, passwords).
    static func wipe(_ bytes: inout [UInt8]) {
        bytes.withUnsafeMutableBytes { raw in
            if let base = raw.baseAddress { OPENSSL_cleanse(base, raw.count) }
        }
    }

    deinit {
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        storage.deallocate()
    }
}

/// Wiping of secret bytes that the CLI reads (secret files, decoded secrets, passwords).
public enum Secrets {
    /// Overwrites `bytes` with zeros through `OPENSSL_cleanse`. Only a buffer that `bytes`
    /// alone holds is wiped in place; when the array shares its buffer with another array
    /// (copy-on-write), Swift copies it first and only that copy is wiped, so call this on
    /// buffers the caller alone holds: file read buffers, encoded secrets, passwords.
    public static func wipe(_ bytes: inout [UInt8]) { SecretBytes.wipe(&bytes) }
}
