extension JSONValue {
    /// Appends `string` as a JSON string, escaped as ``serialized`` escapes it.
    public static func serialize(string: String, to out: inout ByteWriter) { writeString(string, to: &out) }

    /// Whether a JSON text that ``JSONParser`` accepted is already its own compact
    /// serialization (``serialized`` of what it parses to gives the same bytes): it holds no
    /// backslash (every string is written without escapes, as the serializer writes such a
    /// string) and no whitespace outside strings. A cheap scan that lets a renderer copy
    /// the text as received instead of serializing the parsed value again.
    ///
    /// - Parameter text: JSON text the strict parser accepted (for other text the answer means nothing).
    public static func isCompactSerialization(_ text: UnsafeRawBufferPointer) -> Bool {
        let bytes = text.assumingMemoryBound(to: UInt8.self)
        var inString = false
        var index = 0
        while index < bytes.count {
            // Inside a string, past its plain characters eight at a time (none matters here).
            if inString {
                index = JSONStringRun.end(in: bytes, from: index)
                guard index < bytes.count else { break }
            }
            switch bytes[index] {
            case UInt8(ascii: "\\"): return false
            case UInt8(ascii: "\""): inString.toggle()
            case 0x20, 0x09, 0x0A, 0x0D: if !inString { return false }
            default: break
            }
            index += 1
        }
        return true
    }

    /// Appends a JSON text that is its own compact serialization
    /// (``isCompactSerialization(_:)``) indented as ``prettyPrinted(indent:)`` writes what it
    /// parses to, the same bytes, re-indented from the text without parsing it: its strings
    /// (which hold no backslash) and numbers are written as they are.
    ///
    /// - Parameter text: a compact serialization of a value the strict parser accepted (the
    ///   text is read as valid: a string's closing quote, a byte after each `{` and `[`).
    static func appendPrettyPrinted(compactText text: UnsafeBufferPointer<UInt8>, indent: Int = 2, to out: inout ByteWriter) {
        var level = 0
        var index = 0
        while index < text.count {
            let byte = text[index]
            switch byte {
            case UInt8(ascii: "\""):
                var end = JSONStringRun.end(in: text, from: index + 1)
                while text[end] != UInt8(ascii: "\"") { end += 1 }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: text[index...end]))
                index = end
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                out.append(byte)
                if text[index + 1] == byte + 2 {  // `}` and `]` are two after `{` and `[`: empty
                    out.append(byte + 2)
                    index += 1
                } else {
                    level += 1
                    newline(&out, indent: indent, level: level)
                }
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                level -= 1
                newline(&out, indent: indent, level: level)
                out.append(byte)
            case UInt8(ascii: ","):
                out.append(byte)
                newline(&out, indent: indent, level: level)
            case UInt8(ascii: ":"):
                out.append(byte)
                out.append(UInt8(ascii: " "))
            default:
                out.append(byte)
            }
            index += 1
        }
    }
}

extension JSONObject {
    /// Appends the compact JSON text of this object to `out`, given the JSON text it was
    /// parsed from: that text itself when it is already compact
    /// (``JSONValue/isCompactSerialization(_:)``), the object serialized otherwise. Either
    /// way the bytes are those of ``serialized``.
    ///
    /// - Parameter source: the exact text this object was parsed from.
    public func serialize(to out: inout ByteWriter, parsedFrom source: [UInt8]) {
        if source.withUnsafeBytes(JSONValue.isCompactSerialization) {
            out.append(contentsOf: source)
        } else {
            JSONValue.object(self).serialize(to: &out)
        }
    }
}
