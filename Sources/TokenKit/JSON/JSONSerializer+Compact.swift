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
