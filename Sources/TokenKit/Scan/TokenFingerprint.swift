/// A short, stable name for a token that does not reveal it: its first 12 characters, `...#`,
/// and the first 8 hex digits of the SHA-256 of the rest (`eyJhbGciOiJF...#3f9a2c1d`).
///
/// The first 12 characters of a JWT are the start of its header (public, and the same for
/// most tokens); the hash tells tokens apart without giving away the payload or signature.
/// Scan reports name tokens this way unless `--show-tokens` is given, since logs and HAR
/// files hold live credentials.
public enum TokenFingerprint {
    /// The number of leading characters shown.
    public static let prefixLength = 12

    /// The fingerprint of `text`.
    public static func of(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            let shown = min(prefixLength, bytes.count)
            var digest = [UInt8](repeating: 0, count: 32)
            let hashed = digest.withUnsafeMutableBytes {
                Digest.hash(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[shown...])), with: .sha256, into: $0)
            }
            var out = Array(bytes[..<shown])
            out += "...#".utf8
            for byte in digest.prefix(hashed ? 4 : 0) {
                out.append(hexDigits[Int(byte >> 4)])
                out.append(hexDigits[Int(byte & 0x0F)])
            }
            return String(decoding: out, as: UTF8.self)
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
