extension TokenExtractor {
    /// Whether the text extracted from an input line is free text rather than a (possibly
    /// broken) token: it does not start with `eyJ` and holds a character no token attempt
    /// has (anything but base64 or base64url characters, `.` and `=`), such as the spaces of
    /// a `curl -v` line. `decode` and `verify` use it to point to `--scan` when no line was a
    /// token.
    public static func looksLikeFreeText(_ text: String) -> Bool {
        // Read as bytes: `hasPrefix` compares characters (~270 instructions a line of a batch).
        // Past an ASCII `eyJ`, only a non-ASCII byte can join the `J` into another character
        // (a combining mark): then `hasPrefix` decides.
        text.withUTF8Bytes { bytes in
            if bytes.count >= 3, bytes[0] == UInt8(ascii: "e"), bytes[1] == UInt8(ascii: "y"), bytes[2] == UInt8(ascii: "J") {
                if bytes.count == 3 || bytes[3] < 0x80 || text.hasPrefix("eyJ") { return false }
            }
            return bytes.contains { byte in
                !(LineScanner.isTokenByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
                    || byte == UInt8(ascii: "="))
            }
        }
    }
}
