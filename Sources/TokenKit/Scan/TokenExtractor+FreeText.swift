extension TokenExtractor {
    /// Whether the text extracted from an input line is free text rather than a (possibly
    /// broken) token: it does not start with `eyJ` and holds a character no token attempt
    /// has (anything but base64 or base64url characters, `.` and `=`), such as the spaces of
    /// a `curl -v` line. `decode` and `verify` use it to point to `--scan` when no line was a
    /// token.
    public static func looksLikeFreeText(_ text: String) -> Bool {
        if text.hasPrefix("eyJ") { return false }
        return text.utf8.contains { byte in
            !(LineScanner.isTokenByte(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "/")
                || byte == UInt8(ascii: "="))
        }
    }
}
