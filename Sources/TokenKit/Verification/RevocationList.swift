/// A list of revoked token ids (`jti` values), held compactly.
///
/// The list keeps the file's bytes and, per id, a 64-bit hash with the id's place in those
/// bytes, sorted by hash: about the file's size plus 16 bytes an id, and a lookup is a binary
/// search followed by an exact byte comparison of the candidates (ids are compared as UTF-8
/// bytes, never by Unicode canonical equivalence).
public struct RevocationList: Sendable, ExpressibleByArrayLiteral {
    private struct Entry: Sendable {
        var hash: UInt64
        var start: UInt32
        var count: UInt32
    }

    private let storage: [UInt8]
    private let entries: [Entry]

    /// The largest list accepted: 4 GiB less one byte (offsets are 32-bit).
    public static let maximumByteCount = Int(UInt32.max)

    /// An empty list.
    public init() {
        storage = []
        entries = []
    }

    /// A list of the given ids.
    public init(arrayLiteral ids: String...) { self.init(ids: ids) }

    /// A list of the given ids (each exact; no trimming, comments or empty ids).
    public init(ids: [String]) {
        var bytes: [UInt8] = []
        var entries: [Entry] = []
        for id in ids where !id.isEmpty {
            let start = bytes.count
            bytes.append(contentsOf: id.utf8)
            let hash = bytes[start...].withUnsafeBufferPointer(Self.hash)
            entries.append(Entry(hash: hash, start: UInt32(start), count: UInt32(id.utf8.count)))
        }
        self.init(storage: bytes, entries: entries)
    }

    /// A list read from a revocation file: one id a line (LF or CRLF), surrounding spaces and
    /// tabs ignored, empty lines and lines starting with `#` skipped.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` for input over ``maximumByteCount``.
    public init(fileContents bytes: [UInt8]) throws {
        guard bytes.count <= Self.maximumByteCount else {
            throw TokenError.invalidValue("the revocation list is \(bytes.count) bytes; at most \(Self.maximumByteCount) are accepted")
        }
        let entries = bytes.withUnsafeBufferPointer { bytes in
            var entries: [Entry] = []
            var lineStart = 0
            let end = bytes.count
            while lineStart < end {
                var lineEnd = lineStart
                while lineEnd < end, bytes[lineEnd] != 0x0A, bytes[lineEnd] != 0x0D { lineEnd += 1 }
                var first = lineStart
                var last = lineEnd
                while first < last, bytes[first] == 0x20 || bytes[first] == 0x09 { first += 1 }
                while last > first, bytes[last - 1] == 0x20 || bytes[last - 1] == 0x09 { last -= 1 }
                if first < last, bytes[first] != UInt8(ascii: "#") {
                    let hash = Self.hash(UnsafeBufferPointer(rebasing: bytes[first..<last]))
                    entries.append(Entry(hash: hash, start: UInt32(first), count: UInt32(last - first)))
                }
                lineStart = lineEnd + 1
            }
            return entries
        }
        self.init(storage: bytes, entries: entries)
    }

    private init(storage: [UInt8], entries: [Entry]) {
        self.storage = storage
        var sorted = entries
        sorted.sort { $0.hash < $1.hash }
        self.entries = sorted
    }

    /// Whether the list has no ids.
    public var isEmpty: Bool { entries.isEmpty }

    /// The number of ids (duplicates counted).
    public var count: Int { entries.count }

    /// Whether `id` is on the list, compared as UTF-8 bytes.
    public func contains(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        let hash = bytes.withUnsafeBufferPointer(Self.hash)
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].hash < hash { low = middle + 1 } else { high = middle }
        }
        var index = low
        while index < entries.count, entries[index].hash == hash {
            let entry = entries[index]
            let start = Int(entry.start)
            if Int(entry.count) == bytes.count, storage[start..<start + bytes.count].elementsEqual(bytes) { return true }
            index += 1
        }
        return false
    }

    /// FNV-1a, 64-bit: a fast spread of the bytes; collisions only cost an extra comparison.
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
