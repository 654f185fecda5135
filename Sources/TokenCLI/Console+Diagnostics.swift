extension Console {
    /// Writes a warning to stderr: `tokenctl: <command>: warning: <message>`.
    ///
    /// The message must never contain secret or private key material.
    public func warn(_ command: String, _ message: String) {
        stderr.write("tokenctl: \(command): warning: \(message)\n")
    }

    /// Writes an error line to stderr: `tokenctl: <command>: error[<code>]: <message>`, or
    /// `tokenctl: error[<code>]: <message>` without a command. Commands that handle an error
    /// themselves (batch mode) use it to report in the common format.
    ///
    /// The message must never contain secret or private key material.
    public func error(_ command: String?, code: String, _ message: String) {
        let prefix = command.map { "tokenctl: \($0): " } ?? "tokenctl: "
        stderr.write("\(prefix)error[\(code)]: \(message)\n")
    }
}
