#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Searching raw bytes for one byte with `memchr`, which the C library vectorises: for the
/// code that splits lines and tokens in place, and for renderers that look for a line break.
public enum ByteSearch {
    /// The offset from `base` of the first `byte` in `base[from..<to]`, or `nil` when there is none.
    static func find(_ byte: UInt8, _ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        guard from < to, let found = memchr(base + from, Int32(byte), to - from) else { return nil }
        return UnsafePointer<UInt8>(found.assumingMemoryBound(to: UInt8.self)) - base
    }

    /// The offset in `text` of the first `byte` within `range`, or `nil` when there is none.
    public static func find(_ byte: UInt8, in text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int? {
        guard let base = text.baseAddress else { return nil }
        return find(byte, base, from: range.lowerBound, to: range.upperBound)
    }
}
