/// Uniformly random base62 characters from OpenSSL's generator (`RAND_bytes`), drawn by
/// rejection: a random byte below 248 (4 × 62) gives the digit `byte % 62`, others are
/// skipped, so every digit is equally likely (log2(62) ≈ 5.95 bits each).
struct RandomBase62 {
    private var buffer: [UInt8] = []
    private var position = 0
    /// How many random bytes one call to the generator fetches.
    private let chunk: Int

    init(chunk: Int = 256) { self.chunk = chunk }

    /// `count` random base62 characters (ASCII bytes).
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    mutating func characters(_ count: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            if position == buffer.count {
                buffer = try SecureRandom.bytes(count: chunk)
                position = 0
            }
            let byte = buffer[position]
            position += 1
            if byte < 248 { out.append(Base62.alphabet[Int(byte % 62)]) }
        }
        return out
    }
}
