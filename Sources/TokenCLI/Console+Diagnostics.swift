import TokenKit

extension Console {
    /// Writes a warning to stderr: `tokenctl: <command>: warning: <message>`.
    ///
    /// The message must never contain secret or private key material.
    public func warn(_ command: String, _ message: String) {
        stderr.write("tokenctl: \(command): warning: \(UntrustedText.escaped(message))\n")
    }

    /// Writes an error line to stderr: `tokenctl: <command>: error[<code>]: <message>`, or
    /// `tokenctl: error[<code>]: <message>` without a command. Commands that handle an error
    /// themselves (batch mode) use it to report in the common format.
    ///
    /// The message must never contain secret or private key material. Like every diagnostic,
    /// it is escaped (``UntrustedText/escaped(_:)``), so text quoted from a token or a file
    /// stays on its one line and cannot drive the terminal.
    public func error(_ command: String?, code: String, _ message: String) {
        let prefix = command.map { "tokenctl: \($0): " } ?? "tokenctl: "
        stderr.write("\(prefix)error[\(code)]: \(UntrustedText.escaped(message))\n")
    }

    /// Writes human-readable results to stdout, each line escaped
    /// (``UntrustedText/escapedLines(_:)``): text results never carry a raw control or bidi
    /// character, whatever a token holds. Untrusted text that may hold a line break must be
    /// escaped with ``UntrustedText/escaped(_:)`` where it is put into `text`.
    ///
    /// - Parameters:
    ///   - text: one or more whole lines.
    ///   - line: with `-n/--line-number`, the input line number that prefixes every line (`3:`).
    ///   - painted: whether `text` holds tokenctl's own colour sequences; then the renderer has
    ///     escaped every untrusted part itself and the lines are not escaped again.
    public func printResult(_ text: String, line: Int? = nil, painted: Bool = false) {
        var escaped = painted ? text : UntrustedText.escapedLines(text)
        if let line {
            let hasNewline = escaped.hasSuffix("\n")
            if hasNewline { escaped.removeLast() }
            escaped = escaped.split(separator: "\n", omittingEmptySubsequences: false).map { "\(line):\($0)" }
                .joined(separator: "\n") + (hasNewline ? "\n" : "")
        }
        stdout.write(escaped)
    }
}
