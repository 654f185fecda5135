/// CRC-32 as zlib's `crc32()` and Python's `zlib.crc32` compute it (IEEE 802.3: reflected
/// polynomial 0xEDB88320, initial value and final XOR 0xFFFFFFFF).
///
/// An error-detecting checksum for API keys, not a cryptographic primitive: it catches
/// typos and truncation offline, nothing more.
public enum CRC32 {
    /// The 256-entry table of the reflected polynomial, built once.
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 {
            value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1
        }
        return value
    }

    /// The CRC-32 of `bytes`.
    ///
    /// - Parameter bytes: the data, for an API key the UTF-8 bytes before its checksum.
    /// - Returns: the checksum, as zlib returns it (`crc32(0, bytes, count)`).
    public static func checksum<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes {
                crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8)
            }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
