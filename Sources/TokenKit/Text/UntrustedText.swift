/// Makes text that came from a token, a file or any other input safe to print on a terminal
/// or in a CI log, where a raw control character could move the cursor, retitle the window,
/// start a new line that looks like a result, or reorder what the reader sees.
///
/// Escaped, as visible text: C0 controls and DEL (`\n`, `\r`, `\t`, `\x1b`, `\x00`, `\x7f`),
/// C1 controls (`\u{85}`), the Unicode bidirectional controls (U+061C, U+200E, U+200F,
/// U+202A–U+202E, U+2066–U+2069), the line and paragraph separators (U+2028, U+2029), and
/// the invisible format characters U+200B–U+200D, U+2060–U+2064 and U+FEFF. Everything else,
/// including a backslash, is kept, so escaping twice gives the same text as escaping once.
public enum UntrustedText {
    /// `text` with every control, bidi and invisible format character written as a visible
    /// escape; the result is one line.
    ///
    /// - Parameter text: text from an untrusted source (a token member, a file name, a message
    ///   quoting either).
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x80 {
                    out += "\\x" + hex(scalar.value, digits: 2).lowercased()
                } else {
                    out += "\\u{" + hex(scalar.value, digits: 0) + "}"
                }
            }
        }
        return out
    }

    /// Escapes each line of a multi-line text and keeps the line breaks (`\n`) between them:
    /// for a rendering whose lines are laid out by tokenctl and whose untrusted parts have
    /// already been escaped with ``escaped(_:)``.
    public static func escapedLines(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0 != "\n" && needsEscape($0) }) else { return text }
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { escaped(String($0)) }
            .joined(separator: "\n")
    }

    /// Whether a scalar is written as an escape.
    public static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: return true
        case 0x061C, 0x200B...0x200F, 0x2028...0x202E, 0x2060...0x2064, 0x2066...0x2069, 0xFEFF: return true
        default: return false
        }
    }

    private static func hex(_ value: UInt32, digits: Int) -> String {
        let text = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
