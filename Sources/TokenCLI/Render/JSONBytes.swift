import TokenKit

/// Small writers of JSON values straight into an output byte buffer, for renderers that
/// print the same bytes as serializing a ``JSONValue`` tree (``JSONValue/serialized``)
/// without building the tree.
enum JSONBytes {
    /// Appends `text` as ASCII/UTF-8 bytes as is (for fixed JSON punctuation and names).
    @inline(__always)
    static func raw(_ text: StaticString, to out: inout ByteWriter) {
        out.append(contentsOf: text)
    }

    /// Appends a JSON string, escaped as ``JSONValue/serialized`` escapes it.
    @inline(__always)
    static func string(_ text: String, to out: inout ByteWriter) { JSONValue.serialize(string: text, to: &out) }

    /// Appends a JSON string, or `null` for `nil`.
    static func string(_ text: String?, to out: inout ByteWriter) {
        if let text { JSONValue.serialize(string: text, to: &out) } else { raw("null", to: &out) }
    }

    /// Appends `true` or `false`.
    static func bool(_ value: Bool, to out: inout ByteWriter) { raw(value ? "true" : "false", to: &out) }

    /// Appends an integer as ``JSONNumber/init(_:)-(Int)`` writes it, or `null` for `nil`.
    static func number(_ value: Int?, to out: inout ByteWriter) {
        guard let value else { return raw("null", to: &out) }
        number(Int64(value), to: &out)
    }

    /// Appends the decimal digits of `value` (`-` first when negative).
    static func number(_ value: Int64, to out: inout ByteWriter) {
        if value < 0 { out.append(UInt8(ascii: "-")) }
        Instant.appendDecimal(value.magnitude, to: &out)
    }

    /// Whether `text` holds a line feed (its UTF-8 bytes searched with `memchr`).
    static func hasLineBreak(_ text: String) -> Bool {
        text.withUTF8Bytes { ByteSearch.find(0x0A, in: $0, 0..<$0.count) != nil }
    }

    /// `text.count` (characters), counted as bytes when the text is ASCII without a carriage
    /// return (then each byte is one character).
    static func characterCount(_ text: String) -> Int {
        let ascii = text.withUTF8Bytes { bytes in !bytes.contains { $0 >= 0x80 || $0 == 0x0D } }
        return ascii ? text.utf8.count : text.count
    }

    /// Appends an error as the JSON results show one: `{"code":…,"message":…}`.
    static func error(_ error: TokenError, to out: inout ByteWriter) {
        raw(#"{"code":"#, to: &out)
        string(error.code.id, to: &out)
        raw(#","message":"#, to: &out)
        string(error.reason, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Appends `[s1,s2,...]`.
    static func strings(_ values: [String], to out: inout ByteWriter) {
        out.append(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            string(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}
