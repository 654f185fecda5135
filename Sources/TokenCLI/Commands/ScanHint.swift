import TokenKit

/// Tells a user of `decode` or `verify` without `--scan` that it exists when the input was
/// free text: no input was a token, and some input does not even look like one
/// (``TokenExtractor/looksLikeFreeText(_:)``).
struct ScanHint {
    private var items = 0
    private var failures = 0
    private var freeText = false

    /// Notes one input, before it is used.
    mutating func note(_ item: TokenInputs.Item) {
        note(freeText: Self.looksLikeFreeText(item))
    }

    /// Notes one input, told whether it looked like free text (``looksLikeFreeText(_:)``).
    mutating func note(freeText: Bool) {
        items += 1
        if freeText { self.freeText = true }
    }

    /// Whether an input is text read as a token that does not even look like one.
    static func looksLikeFreeText(_ item: TokenInputs.Item) -> Bool {
        if case .success(let text) = item { return TokenExtractor.looksLikeFreeText(text) }
        return false
    }

    /// Notes that the last input noted was not a token.
    mutating func failed() { failures += 1 }

    /// Writes the hint on stderr when every input failed and one looked like free text.
    func emit(_ console: Console, command: String) {
        guard freeText, items > 0, failures == items else { return }
        console.stderr.write(
            "tokenctl: \(command): note: no input line is a token; to find the tokens in free text "
                + "(curl -v output, HAR files, logs), use 'tokenctl \(command) --scan'\n")
    }
}
