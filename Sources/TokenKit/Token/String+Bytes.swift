/// Byte-exact string comparison: the one way TokenKit compares strings that come from tokens,
/// keys and options.
///
/// Swift's `String ==` is Unicode canonical equivalence, so `"\u{212A}"` (KELVIN SIGN) equals
/// `"K"` and `"e\u{301}"` equals `"é"`. RFC 7519 §7.3 and RFC 7515 §5.3 compare without
/// canonicalization: two values are equal when their UTF-8 bytes are.
extension StringProtocol {
    /// Whether this string and `other` have the same UTF-8 bytes.
    @inlinable
    public func isByteEqual(to other: some StringProtocol) -> Bool {
        let mine = utf8
        let theirs = other.utf8
        // Native strings: compare their contiguous UTF-8 storage directly.
        let fast: Bool?? = mine.withContiguousStorageIfAvailable { left in
            theirs.withContiguousStorageIfAvailable { right in
                sameBytes(left, right)
            }
        }
        if let fast, let fast { return fast }
        return mine.elementsEqual(theirs)
    }

    /// Whether this string, with ASCII letters folded to lower case (and nothing else), has
    /// the same UTF-8 bytes as `other` folded the same way; for the few wire values compared
    /// case-insensitively (`typ`, `none`).
    public func isASCIICaseInsensitiveByteEqual(to other: some StringProtocol) -> Bool {
        // Folding keeps the length: unequal lengths (`HS256` against `none`) answer at once.
        utf8.count == other.utf8.count
            && utf8.lazy.map(asciiLowercased).elementsEqual(other.utf8.lazy.map(asciiLowercased))
    }
}

extension String {
    /// The string of `bytes`, UTF-8 (ill-formed sequences repaired as `String(decoding:as:)`
    /// repairs them). Up to 15 bytes are written straight into the string's inline storage,
    /// which skips the separate validation pass `String(decoding:as:)` makes before it copies
    /// (~190 instructions for a short name: callgrind); an ASCII string needs nothing more.
    init(utf8Bytes bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= 15 else {
            self.init(decoding: bytes, as: UTF8.self)
            return
        }
        self.init(unsafeUninitializedCapacity: bytes.count) { $0.initialize(fromContentsOf: bytes) }
    }

    /// Lends this string's UTF-8 bytes to `body`: in place for a native string, copied onto
    /// the stack for a small one (`utf8.withContiguousStorageIfAvailable`, ~40 instructions
    /// for a short name, where `withUTF8` on a copy costs ~130: callgrind), through an array
    /// for any other.
    @inlinable
    public func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        if let result = try utf8.withContiguousStorageIfAvailable(body) { return result }
        return try Array(utf8).withUnsafeBufferPointer(body)
    }

    /// The same text in storage of its own (a string of up to 15 bytes has none to share), so
    /// that reading it on one thread moves no reference count another thread touches.
    var unsharedCopy: String { withUTF8Bytes { String(decoding: $0, as: UTF8.self) } }

    /// A note for a mismatch message when this string and `other` differ in their bytes but
    /// not in how they read (Unicode canonical equivalence), else "".
    public func byteMismatchNote(_ other: String) -> String {
        // `==` here only explains a mismatch already found byte for byte.
        self == other ? " (they read the same but differ in their UTF-8 bytes, which are compared exactly)" : ""
    }
}

extension Sequence where Element: StringProtocol {
    /// Whether an element has the same UTF-8 bytes as `value`.
    public func containsBytes(of value: some StringProtocol) -> Bool { contains { $0.isByteEqual(to: value) } }
}

private func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
}

/// Whether two buffers hold the same bytes: the same length, then the same bytes, compared
/// eight at a time.
@usableFromInline
func sameBytes(_ left: UnsafeBufferPointer<UInt8>, _ right: UnsafeBufferPointer<UInt8>) -> Bool {
    let count = left.count
    guard count == right.count else { return false }
    var index = 0
    while index + 8 <= count {
        let a = UnsafeRawPointer(left.baseAddress! + index).loadUnaligned(as: UInt64.self)
        let b = UnsafeRawPointer(right.baseAddress! + index).loadUnaligned(as: UInt64.self)
        if a != b { return false }
        index += 8
    }
    while index < count {
        if left[index] != right[index] { return false }
        index += 1
    }
    return true
}
