/// Word wrapping for help text.
enum TextWrap {
    /// Wraps `text` into lines of at most `width` columns (a single word longer than the
    /// width stays whole), each line prefixed by `indent` spaces; the first line by
    /// `firstIndent` spaces when given (for text after a label). Paragraphs separated by a
    /// blank line stay separate.
    static func wrap(_ text: String, width: Int, indent: Int, firstIndent: Int? = nil) -> [String] {
        var lines: [String] = []
        let paragraphs = text.split(separator: "\n\n", omittingEmptySubsequences: false).map(String.init)
        for (number, paragraph) in paragraphs.enumerated() {
            if number > 0 { lines.append("") }
            var line = ""
            var lineIndent = lines.isEmpty ? (firstIndent ?? indent) : indent
            for word in paragraph.split(whereSeparator: { $0 == " " || $0 == "\n" }) {
                if line.isEmpty {
                    line = String(word)
                } else if lineIndent + line.count + 1 + word.count <= width {
                    line += " " + word
                } else {
                    lines.append(String(repeating: " ", count: lineIndent) + line)
                    lineIndent = indent
                    line = String(word)
                }
            }
            if !line.isEmpty { lines.append(String(repeating: " ", count: lineIndent) + line) }
        }
        return lines
    }
}
