/// The SHA-256 hashes of issued API keys, as a service stores them: read once from a text
/// file of one lowercase hex SHA-256 a line (blank lines and lines starting with `#` are
/// skipped; surrounding spaces, and a file name after the hash as `sha256sum` writes it,
/// are ignored), held compactly (32 bytes a hash, grouped by
/// their first two bytes), and searched without a lookup per line of the file.
///
/// Membership is decided by comparing the candidate's hash with each stored hash of its
/// group using `CRYPTO_memcmp` (constant time); which group is searched depends only on
/// the first two bytes of the SHA-256, which reveal nothing useful about a key.
public struct APIKeyHashList: Sendable {
    /// The largest hash file read: 256 MiB (about 3.9 million hashes).
    public static let maxFileBytes = 256 << 20

    /// The hashes, 32 bytes each, ordered by their first two bytes.
    private let hashes: [UInt8]
    /// `bucketStart[b] ..< bucketStart[b + 1]` are the indexes of the hashes whose first two
    /// bytes are `b`, big-endian.
    private let bucketStart: [Int32]

    /// The number of hashes (a hash listed twice counts twice).
    public var count: Int { hashes.count / 32 }

    /// Parses a hash list.
    ///
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - name: how to name the list in errors (its path).
    /// - Throws: ``TokenError/Code/invalidValue`` naming the first line that is not 64 hex
    ///   digits.
    public init(parsing bytes: [UInt8], name: String) throws {
        var flat: [UInt8] = []
        flat.reserveCapacity(bytes.count / 65 * 32 + 32)
        try bytes.withUnsafeBufferPointer { bytes in
            var lineNumber = 0
            var start = 0
            while start < bytes.count {
                lineNumber += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                var first = start
                var last = end
                while first < last, APIKeyHashList.isSpace(bytes[first]) { first += 1 }
                while last > first, APIKeyHashList.isSpace(bytes[last - 1]) { last -= 1 }
                if first < last, bytes[first] != UInt8(ascii: "#") {
                    // `sha256sum` writes "<hash>  <name>": the hash is the first field.
                    var field = first
                    while field < last, !APIKeyHashList.isSpace(bytes[field]) { field += 1 }
                    guard field - first == 64, APIKeyHashList.appendHex(bytes, first, to: &flat) else {
                        throw TokenError.invalidValue("hash list '\(name)' line \(lineNumber) is not a SHA-256 in hex (64 characters 0-9, a-f)")
                    }
                }
                start = end + 1
            }
        }
        // Counting sort by the first two bytes.
        let total = flat.count / 32
        var starts = [Int32](repeating: 0, count: 65_537)
        var sorted = [UInt8](repeating: 0, count: flat.count)
        flat.withUnsafeBufferPointer { flat in
            starts.withUnsafeMutableBufferPointer { starts in
                for index in 0..<total {
                    starts[Int(flat[index * 32]) << 8 | Int(flat[index * 32 + 1]) + 1] += 1
                }
                for bucket in 1..<starts.count { starts[bucket] += starts[bucket - 1] }
                var next = Array(starts)
                sorted.withUnsafeMutableBufferPointer { sorted in
                    for index in 0..<total {
                        let bucket = Int(flat[index * 32]) << 8 | Int(flat[index * 32 + 1])
                        let target = Int(next[bucket]) * 32
                        next[bucket] += 1
                        for offset in 0..<32 { sorted[target + offset] = flat[index * 32 + offset] }
                    }
                }
            }
        }
        hashes = sorted
        bucketStart = starts
    }

    /// Reads and parses a hash list file.
    ///
    /// - Throws: ``TokenError/Code/inputUnreadable`` when the file cannot be read or is over
    ///   ``maxFileBytes``; ``TokenError/Code/invalidValue`` for a line that is not a hash.
    public static func load(path: String) throws -> APIKeyHashList {
        try APIKeyHashList(parsing: FileAccess.readRegularFile(path, maxBytes: maxFileBytes, what: "hash list"), name: path)
    }

    /// Whether the list holds this SHA-256 (32 bytes).
    public func contains(sha256 digest: [UInt8]) -> Bool {
        guard digest.count == 32 else { return false }
        let bucket = Int(digest[0]) << 8 | Int(digest[1])
        var found = false
        for index in Int(bucketStart[bucket])..<Int(bucketStart[bucket + 1]) {
            // CRYPTO_memcmp, through the OpenSSL helpers.
            if HMACBackend.constantTimeEqual(Array(hashes[index * 32..<index * 32 + 32]), digest) { found = true }
        }
        return found
    }

    /// Whether the list holds the SHA-256 of `key`.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when OpenSSL fails.
    public func contains(_ key: APIKey) throws -> Bool {
        contains(sha256: try Digest.sha256(Array(key.text.utf8)))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D
    }

    /// Appends the 32 bytes of the 64 hex digits (either case) at `start`; `false` for a
    /// non-hex digit.
    private static func appendHex(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, to out: inout [UInt8]) -> Bool {
        for index in stride(from: start, to: start + 64, by: 2) {
            guard let high = HexDigit.value(bytes[index]), let low = HexDigit.value(bytes[index + 1]) else { return false }
            out.append(high << 4 | low)
        }
        return true
    }
}
