extension Console {
    /// Whether to colour what is written to `stream` (stdout by default), from the global
    /// `--color WHEN` option: `always` and `never` decide; `auto` (the default) colours a
    /// terminal unless `NO_COLOR` is set to a non-empty value or `TERM` is `dumb`.
    public func useColor(_ arguments: ParsedArguments, for stream: TextOutput? = nil) -> Bool {
        switch arguments.value("color") {
        case "always": return true
        case "never": return false
        default:
            if let noColor = environmentValue("NO_COLOR"), !noColor.isEmpty { return false }
            if environmentValue("TERM") == "dumb" { return false }
            return (stream ?? stdout).isTerminal
        }
    }
}

/// ANSI styles for human output. A painter made with `enabled: false` returns text as is,
/// so commands write one code path for both cases.
public struct Painter: Sendable {
    /// Whether styles are applied.
    public var enabled: Bool

    /// Creates a painter; pass ``Console/useColor(_:for:)``.
    public init(enabled: Bool) { self.enabled = enabled }

    /// Bold text (headings, the token's alg).
    public func bold(_ text: String) -> String { paint(text, "1") }
    /// Red text (errors, rejections).
    public func red(_ text: String) -> String { paint(text, "31") }
    /// Yellow text (warnings).
    public func yellow(_ text: String) -> String { paint(text, "33") }

    private func paint(_ text: String, _ code: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}
