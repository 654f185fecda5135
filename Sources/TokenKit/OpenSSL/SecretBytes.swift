internal import COpenSSL

/// Secret bytes (an HMAC key, an API-key secret, an exported private key member) in one
/// buffer that this object owns and wipes with `OPENSSL_cleanse` in `deinit`.
///
/// What is wiped: the owned buffer, always, when the last reference to this object goes. It
/// is allocated once, never resized, never shared with a Swift array (so copy-on-write can
/// never leave an unwiped twin), and no API copies it out: ``withUnsafeBytes(_:)`` lends it
/// without copying (HMAC passes that pointer straight to OpenSSL; the keyset writer
/// base64url-encodes from it into a buffer it wipes after writing).
///
/// What is NOT wiped:
/// - the `[UInt8]` given to ``init(copying:)`` (use ``init(wiping:)`` to wipe the source when
///   the caller owns it uniquely; a Swift array shared elsewhere cannot be wiped from here);
/// - copies made by OpenSSL inside its own HMAC context (OpenSSL cleanses those itself);
/// - text the secret came from that Swift holds as a `String` (a JWK member parsed from
///   `keys.json`, an environment variable's value): Swift strings cannot be wiped reliably.
final class SecretBytes: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer
    /// Keyed HMAC contexts of this secret, reused by verification (``HMACContextPool``).
    let hmacContexts = HMACContextPool()

    /// The number of bytes.
    let count: Int

    /// Copies `bytes` into a new owned buffer; `bytes` itself is left as it is (not wiped).
    convenience init(copying bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count) { destination in
            if let base = bytes.baseAddress { destination.baseAddress!.copyMemory(from: base, byteCount: bytes.count) }
            return bytes.count
        }
    }

    /// Copies `bytes` into a new owned buffer; `bytes` itself is left as it is (not wiped).
    convenience init(copying bytes: [UInt8]) {
        self.init(count: bytes.count) { destination in
            bytes.withUnsafeBytes { source in
                if let base = source.baseAddress { destination.baseAddress!.copyMemory(from: base, byteCount: source.count) }
            }
            return bytes.count
        }
    }

    /// Copies `bytes` into a new owned buffer and overwrites `bytes` with zeros (in place when
    /// the caller's array is its only owner).
    convenience init(wiping bytes: inout [UInt8]) {
        self.init(copying: bytes)
        SecretBytes.wipe(&bytes)
    }

    /// A buffer of `count` bytes filled in place by `initialize` (an OpenSSL export writing
    /// straight into the owned buffer), so the secret never passes through a Swift array.
    /// `initialize` returns how many bytes it wrote (at most `count`); the rest is zero.
    ///
    /// - Throws: whatever `initialize` throws (the buffer is wiped and freed first).
    init(count: Int, initializingWith initialize: (UnsafeMutableRawBufferPointer) throws -> Int) rethrows {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: max(count, 1), alignment: 16)
        buffer.initializeMemory(as: UInt8.self, repeating: 0)
        let written: Int
        do {
            written = try initialize(UnsafeMutableRawBufferPointer(rebasing: buffer[0..<count]))
        } catch {
            OPENSSL_cleanse(buffer.baseAddress, buffer.count)
            buffer.deallocate()
            throw error
        }
        storage = buffer
        self.count = min(max(written, 0), count)
    }

    /// Lends the owned buffer to `body` without copying it; `body` must not keep the pointer
    /// nor copy the bytes into storage it does not wipe.
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

    /// Overwrites the bytes of a buffer this code owns with zeros through `OPENSSL_cleanse`.
    static func wipe(_ bytes: UnsafeMutableRawBufferPointer) {
        if let base = bytes.baseAddress { OPENSSL_cleanse(base, bytes.count) }
    }

    /// A copy of the bytes in storage of its own, with HMAC contexts of its own, for a thread
    /// of its own (``TokenVerifier/unsharedCopy()``).
    func unsharedCopy() -> SecretBytes { withUnsafeBytes { SecretBytes(copying: $0) } }

    /// A new BIGNUM on OpenSSL's secure heap holding these bytes as a big-endian number (zero
    /// when there are none), read from the owned buffer; `nil` when OpenSSL fails. The caller
    /// frees it with `BN_clear_free`.
    func secureBignum() -> OpaquePointer? {
        guard let target = BN_secure_new() else { return nil }
        let bignum = withUnsafeBytes { raw -> OpaquePointer? in
            guard let bytes = raw.baseAddress?.assumingMemoryBound(to: UInt8.self), raw.count > 0 else { return target }
            return BN_bin2bn(bytes, Int32(raw.count), target)
        }
        if bignum == nil { BN_clear_free(target) }
        return bignum
    }

    deinit {
        OPENSSL_cleanse(storage.baseAddress, storage.count)
        storage.deallocate()
    }
}

/// Wiping of secret bytes that the CLI reads (secret files, decoded secrets, passwords).
///
/// What tokenctl wipes (each with `OPENSSL_cleanse`): HMAC secrets and API-key secrets (held
/// in one owned buffer each, lent but never copied out by tokenctl); the `--key`,
/// `--secret-file`, `--password-file` and `keys.json` files as read (the read buffer, with
/// every buffer a growing read left behind); decoded secret encodings and their
/// intermediates (trimmed text, base64 and hex digits, the copies the public-key-material
/// check makes); the UTF-8 copy of an environment variable's value; private key members
/// decoded from a JWK or exported for `keys.json`; the `keys.json` text written (and the one
/// read to compare with it); the PEM blocks cut from a key file.
///
/// What it cannot wipe: Swift `String`s (JSON string values parsed from a JWK or `keys.json`,
/// such as `d` or `k`; the process environment, which the C library and Swift hold as
/// strings; text passed to public APIs that take a `String`, such as
/// `Key(pemRepresentation:)`; the results of `Key.privateJWK()` and `Key.privatePEM()`, which
/// tokenctl itself does not call); the partly decoded bytes of a private JWK member that is
/// not valid base64url (the decoder drops them when it throws); the caller's own arrays
/// passed to APIs that copy them (`Key(hmacSecret:)`, `APIKeySecret(id:bytes:)`); and what
/// OpenSSL holds, which OpenSSL cleanses itself when the key is freed.
public enum Secrets {
    /// Overwrites `bytes` with zeros through `OPENSSL_cleanse`. Only a buffer that `bytes`
    /// alone holds is wiped in place; when the array shares its buffer with another array
    /// (copy-on-write), Swift copies it first and only that copy is wiped, so call this on
    /// buffers the caller alone holds: file read buffers, encoded secrets, passwords.
    public static func wipe(_ bytes: inout [UInt8]) { SecretBytes.wipe(&bytes) }

    /// Overwrites an optional buffer with zeros when it is present (see ``wipe(_:)-(inout [UInt8])``).
    public static func wipe(_ bytes: inout [UInt8]?) {
        if bytes != nil { SecretBytes.wipe(&bytes!) }
    }
}
