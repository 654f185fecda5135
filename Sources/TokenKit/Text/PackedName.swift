/// A name of at most 15 UTF-8 bytes and its length in two integers, so that two names are
/// compared in two integer comparisons: the claim policy's short lists of names (registered
/// claims, their aliases, personal data), the parser's member names (duplicates,
/// ``WellKnownNames``) are compared this way, where `String`'s `==` of two unequal short
/// strings costs about 20 to 40 instructions and building a set costs more.
struct PackedName: Equatable {
    /// Bytes 0 to 7, the first in the lowest bits.
    private(set) var low: UInt64 = 0
    /// Bytes 8 to 14, and the length in the highest 8 bits.
    private(set) var high: UInt64 = 0

    /// The longest name packed.
    static let maxByteCount = 15

    /// `nil` for a name over ``maxByteCount`` bytes.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= Self.maxByteCount else { return nil }
        // Shifted in byte by byte: for a name of a few bytes, cheaper than a call to memmove.
        var low: UInt64 = 0
        var high: UInt64 = 0
        for index in 0..<min(bytes.count, 8) { low |= UInt64(bytes[index]) << (8 * index) }
        if bytes.count > 8 {
            for index in 8..<bytes.count { high |= UInt64(bytes[index]) << (8 * (index - 8)) }
        }
        self.low = low
        self.high = high | UInt64(bytes.count) << 56
    }

    /// A name from the program's own tables (``maxByteCount`` bytes at most).
    init(_ name: String) {
        self = name.withUTF8Bytes { PackedName($0) }!
    }

    /// A name built a byte at a time (at most ``maxByteCount``).
    init() {}

    /// How many bytes the name has.
    var byteCount: Int { Int(high >> 56) }

    /// Appends `byte`; `false`, changing nothing, when the name already has ``maxByteCount`` bytes.
    mutating func append(_ byte: UInt8) -> Bool {
        let count = byteCount
        guard count < Self.maxByteCount else { return false }
        if count < 8 { low |= UInt64(byte) << (8 * count) } else { high |= UInt64(byte) << (8 * (count - 8)) }
        high = high & (1 << 56 - 1) | UInt64(count + 1) << 56
        return true
    }

    /// An order of packed names (not alphabetical), for searching a sorted table by halves.
    func isBefore(_ other: PackedName) -> Bool { low != other.low ? low < other.low : high < other.high }
}
