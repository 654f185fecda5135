/// Uniformly random base62 characters from OpenSSL's generator (`RAND_bytes`), drawn by
/// rejection: a random byte below 248 (4 × 62) gives the digit `byte % 62`, others are
/// skipped, so every digit is equally likely (log2(62) ≈ 5.95 bits each).
///
/// The pool of random bytes becomes key material, so it is wiped (`OPENSSL_cleanse`) before
/// each refill and when the value goes; callers append straight into their own buffer with
/// ``append(_:to:)`` and wipe that.
struct RandomBase62: ~Copyable {
    /// The pool: `chunk` bytes this value owns; bytes before `position` are used (and zeroed).
    private let pool: UnsafeMutableRawBufferPointer
    private var position: Int

    init(chunk: Int = 256) {
        pool = .allocate(byteCount: max(chunk, 1), alignment: 1)
        pool.initializeMemory(as: UInt8.self, repeating: 0)
        position = pool.count
    }

    deinit {
        SecretBytes.wipe(pool)
        pool.deallocate()
    }

    /// Appends `count` random base62 characters (ASCII bytes) to `out`.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    mutating func append(_ count: Int, to out: inout [UInt8]) throws {
        var appended = 0
        while appended < count {
            if position == pool.count {
                _ = try SecureRandom.fill(pool)
                position = 0
            }
            let byte = pool[position]
            pool[position] = 0
            position += 1
            if byte < 248 {
                out.append(Base62.alphabet[Int(byte % 62)])
                appended += 1
            }
        }
    }

    /// `count` random base62 characters (ASCII bytes), for values that are not secret (ids).
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    mutating func characters(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        try append(count, to: &out)
        return out
    }
}
