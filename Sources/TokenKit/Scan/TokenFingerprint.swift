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
        let bytes = Array(text.utf8)
        let shown = min(prefixLength, bytes.count)
        let rest = Array(bytes[shown...])
        let digest = (try? Digest.sha256(rest)) ?? []
        let hex = digest.prefix(4).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
        }.joined()
        return String(decoding: bytes[..<shown], as: UTF8.self) + "...#" + hex
    }
}
