/// A growing run of bytes that the byte renderers append to: the output buffer of standard
/// output, of a `--jobs` block and of every JSON Lines and text result.
///
/// An array does the same, but each `append(contentsOf:)` into an `[UInt8]` costs about 100
/// instructions before its copy (the generic append, the unique-reference check), and a
/// batch `decode` makes ~55 of them a token: about 8 % of its instructions (callgrind).
/// The writer owns its memory and is not copyable, so an append is a bounds check and a
/// `memcpy`, with nothing to check about sharing. Not for secrets: growing frees the old
/// bytes without wiping them (secret bytes stay in arrays that ``Secrets/wipe(_:)-(inout [UInt8])``
/// clears, or in ``SecretBytes``).
/// ```swift
/// var out = ByteWriter()
/// out.append(contentsOf: "exp ")
/// Instant.appendDecimal(1_700_000_000, to: &out)
/// out.string  // "exp 1700000000"
/// ```
public struct ByteWriter: ~Copyable {
    @usableFromInline var base: UnsafeMutablePointer<UInt8>
    @usableFromInline var capacity: Int
    @usableFromInline var written: Int

    /// An empty writer with room for `capacity` bytes before it grows.
    public init(capacity: Int = 256) {
        self.capacity = max(capacity, 16)
        base = .allocate(capacity: self.capacity)
        written = 0
    }

    deinit { base.deallocate() }

    /// The number of bytes written.
    public var count: Int { written }

    /// Whether nothing is written.
    public var isEmpty: Bool { count == 0 }

    /// Appends one byte.
    @inlinable
    public mutating func append(_ byte: UInt8) {
        if written == capacity { grow(toHold: written + 1) }
        base[written] = byte
        written += 1
    }

    /// Appends the bytes of a buffer.
    @inlinable
    public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress else { return }
        let length = bytes.count
        if capacity - written < length { grow(toHold: written + length) }
        (base + written).initialize(from: source, count: length)
        written += length
    }

    /// Appends the UTF-8 bytes of a literal. Always inlined: for a literal the pointer and
    /// length are constants, so the append is a bounds check and a copy of known length.
    @inlinable
    @inline(__always)
    public mutating func append(contentsOf text: StaticString) {
        if text.hasPointerRepresentation {
            append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
        } else {
            text.withUTF8Buffer { append(contentsOf: $0) }
        }
    }

    /// Appends the UTF-8 bytes of a string.
    @inlinable
    public mutating func append(contentsOf text: String) {
        text.withUTF8Bytes { append(contentsOf: $0) }
    }

    /// Appends bytes held in an array.
    @inlinable
    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Appends `count` copies of `byte`.
    @inlinable
    public mutating func append(_ byte: UInt8, count repeats: Int) {
        guard repeats > 0 else { return }
        if capacity - written < repeats { grow(toHold: written + repeats) }
        (base + written).initialize(repeating: byte, count: repeats)
        written += repeats
    }

    /// Appends `count` bytes that `fill` writes in place: it is lent room for exactly `count`
    /// bytes and must initialize each (a fixed-width field written without a bounds check a byte).
    @inlinable
    public mutating func append(count: Int, filling fill: (UnsafeMutableBufferPointer<UInt8>) -> Void) {
        precondition(count >= 0, "negative length")
        if capacity - written < count { grow(toHold: written + count) }
        fill(UnsafeMutableBufferPointer(start: base + written, count: count))
        written += count
    }

    /// Drops the bytes from offset `newCount` on (nothing when `newCount >= count`).
    public mutating func truncate(to newCount: Int) {
        precondition(newCount >= 0, "negative length")
        written = min(written, newCount)
    }

    /// Drops every byte, keeping the room for reuse.
    public mutating func removeAll() { written = 0 }

    /// Lends the bytes written from offset `start` on.
    public func withBytes<Result, Failure: Error>(
        from start: Int = 0, _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        precondition(start >= 0 && start <= count, "offset out of range")
        return try body(UnsafeBufferPointer(start: base + start, count: count - start))
    }

    /// A copy of the bytes written.
    public var bytes: [UInt8] { withBytes { Array($0) } }

    /// The bytes written, as UTF-8 text (invalid sequences repaired).
    public var string: String { withBytes { String(decoding: $0, as: UTF8.self) } }

    /// Makes room for at least `needed` bytes: twice the room, or `needed` if more.
    @usableFromInline
    @inline(never)
    mutating func grow(toHold needed: Int) {
        let newCapacity = max(needed, capacity * 2)
        let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        newBase.moveInitialize(from: base, count: written)
        base.deallocate()
        base = newBase
        capacity = newCapacity
    }
}
