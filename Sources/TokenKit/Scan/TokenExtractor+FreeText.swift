extension TokenExtractor {
    /// Whether the text extracted from an input line is free text rather than a (possibly
    /// broken) token: it holds a character that no compact JWS has (anything but base64url
    /// and `.`). `decode` and `verify` use it to point to `--scan` when no line was a token.
    public static func looksLikeFreeText(_ text: String) -> Bool {
        text.utf8.contains { !LineScanner.isTokenByte($0) }
    }
}
