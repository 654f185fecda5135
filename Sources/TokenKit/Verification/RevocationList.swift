/// A list of revoked token ids (`jti` values), held compactly.
///
/// The list keeps the file's bytes and one 64-bit word per id: a 32-bit hash of the id above
/// the 32-bit offset of its line, sorted. That is the file's size plus 8 bytes an id (a 64 MiB
/// list of UUIDs takes about 80 MB, where a `Set<String>` took ten times the file). A lookup is
/// a binary search on the hash followed by an exact byte comparison with each candidate line,
/// so ids are compared as UTF-8 bytes, never by Unicode canonical equivalence.
public struct RevocationList: Sendable, ExpressibleByArrayLiteral {
    private let storage: [UInt8]
    /// `hash << 32 | offset`, sorted.
    private let entries: [UInt64]

    /// The largest list accepted: 4 GiB less one byte (offsets are 32-bit).
    public static let maximumByteCount = Int(UInt32.max)

    /// An empty list.
    public init() {
        storage = []
        entries = []
    }

    /// A list of the given ids.
    public init(arrayLiteral ids: String...) { self.init(ids: ids) }

    /// A list of the given ids, each read as a line of a revocation file would be (see
    /// ``init(fileContents:)``): an id containing a line break is not listed.
    public init(ids: [String]) {
        var bytes: [UInt8] = []
        for id in ids where !id.utf8.contains(0x0A) && !id.utf8.contains(0x0D) {
            bytes.append(contentsOf: id.utf8)
            bytes.append(0x0A)
        }
        self = (try? RevocationList(fileContents: bytes)) ?? RevocationList()
    }

    /// A list read from a revocation file: one id a line (LF or CRLF), surrounding spaces and
    /// tabs ignored, empty lines and lines starting with `#` skipped.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` for input over ``maximumByteCount``.
    public init(fileContents bytes: [UInt8]) throws {
        guard bytes.count <= Self.maximumByteCount else {
            throw TokenError.invalidValue("the revocation list is \(bytes.count) bytes; at most \(Self.maximumByteCount) are accepted")
        }
        var entries: [UInt64] = bytes.withUnsafeBufferPointer { bytes in
            var entries: [UInt64] = []
            var lineStart = 0
            while lineStart < bytes.count {
                let (first, last) = Self.id(in: bytes, at: lineStart)
                if first < last, bytes[first] != UInt8(ascii: "#") {
                    let hash = Self.hash(UnsafeBufferPointer(rebasing: bytes[first..<last]))
                    entries.append(UInt64(hash) << 32 | UInt64(first))
                }
                var lineEnd = last
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A, bytes[lineEnd] != 0x0D { lineEnd += 1 }
                lineStart = lineEnd + 1
            }
            return entries
        }
        entries.sort()
        self.storage = bytes
        self.entries = entries
    }

    /// Whether the list has no ids.
    public var isEmpty: Bool { entries.isEmpty }

    /// The number of ids (duplicates counted).
    public var count: Int { entries.count }

    /// Whether `id` is on the list, compared as UTF-8 bytes.
    public func contains(_ id: String) -> Bool {
        let wanted = Array(id.utf8)
        let hash = UInt64(wanted.withUnsafeBufferPointer(Self.hash))
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle] >> 32 < hash { low = middle + 1 } else { high = middle }
        }
        return storage.withUnsafeBufferPointer { bytes in
            var index = low
            while index < entries.count, entries[index] >> 32 == hash {
                let (first, last) = Self.id(in: bytes, at: Int(entries[index] & 0xFFFF_FFFF))
                if UnsafeBufferPointer(rebasing: bytes[first..<last]).elementsEqual(wanted) { return true }
                index += 1
            }
            return false
        }
    }

    /// The id on the line starting at `start`: from its first to after its last byte that is
    /// not a space or tab, before the line's LF or CR.
    private static func id(in bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> (Int, Int) {
        var first = start
        while first < bytes.count, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
        var end = first
        while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
        var last = end
        while last > first, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
        return (first, last)
    }

    /// FNV-1a, 64-bit, folded to 32 bits: a fast spread of the bytes; a collision only costs
    /// an extra comparison.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt32 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return UInt32(truncatingIfNeeded: hash ^ (hash >> 32))
    }
}
