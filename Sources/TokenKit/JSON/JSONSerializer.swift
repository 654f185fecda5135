extension JSONValue {
    /// The compact JSON text of this value: no insignificant whitespace, members in order,
    /// numbers as written, and only the escapes RFC 8259 requires (plus U+2028/U+2029 kept
    /// literal), so the encoding of a claim set is as short as JSON allows.
    public var serialized: String {
        var out = ByteWriter()
        write(to: &out, indent: nil, level: 0)
        return out.string
    }

    /// The JSON text indented by `indent` spaces per level, for people.
    public func prettyPrinted(indent: Int = 2) -> String {
        var out = ByteWriter()
        write(to: &out, indent: indent, level: 0)
        return out.string
    }

    /// The UTF-8 bytes of ``serialized``.
    public var serializedBytes: [UInt8] {
        var out = ByteWriter()
        write(to: &out, indent: nil, level: 0)
        return out.bytes
    }

    /// Appends the compact JSON text of this value to `out` (what ``serialized`` holds).
    public func serialize(to out: inout ByteWriter) { write(to: &out, indent: nil, level: 0) }

    private func write(to out: inout ByteWriter, indent: Int?, level: Int) {
        switch self {
        case .null: out.append(contentsOf: "null")
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false"))
        case .number(let number): out.append(contentsOf: number.text)
        case .string(let string): JSONValue.writeString(string, to: &out)
        case .array(let elements):
            if elements.isEmpty { out.append(contentsOf: "[]"); return }
            out.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent: indent, level: level + 1)
                element.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent: indent, level: level)
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            if object.isEmpty { out.append(contentsOf: "{}"); return }
            out.append(UInt8(ascii: "{"))
            for (index, member) in object.members.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSONValue.newline(&out, indent: indent, level: level + 1)
                JSONValue.writeString(member.name, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                member.value.write(to: &out, indent: indent, level: level + 1)
            }
            JSONValue.newline(&out, indent: indent, level: level)
            out.append(UInt8(ascii: "}"))
        }
    }

    static func newline(_ out: inout ByteWriter, indent: Int?, level: Int) {
        guard let indent else { return }
        out.append(UInt8(ascii: "\n"))
        out.append(UInt8(ascii: " "), count: indent * level)
    }

    /// Appends `string` as a JSON string: only `"`, `\\` and C0 controls are escaped
    /// (U+2028/U+2029 and everything else stay literal), byte for byte.
    static func writeString(_ string: String, to out: inout ByteWriter) {
        string.withUTF8Bytes { bytes in
            var index = JSONStringRun.end(in: bytes, from: 0)
            // The usual string, plain ASCII throughout: written with its quotes as one field.
            if index == bytes.count {
                out.append(count: bytes.count + 2) { field in
                    field[0] = UInt8(ascii: "\"")
                    if let source = bytes.baseAddress { (field.baseAddress! + 1).initialize(from: source, count: bytes.count) }
                    field[bytes.count + 1] = UInt8(ascii: "\"")
                }
                return
            }
            out.append(UInt8(ascii: "\""))
            var runStart = 0
            while index < bytes.count {
                // Past the plain ASCII, eight bytes at a time; then one byte, escaped when needed
                // (UTF-8 sequences are copied as they are).
                index = JSONStringRun.end(in: bytes, from: index)
                guard index < bytes.count else { break }
                let byte = bytes[index]
                index += 1
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                let escaped = index - 1
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<escaped]))
                runStart = index
                out.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                default:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "u00")
                    out.append(hex[Int(byte >> 4)])
                    out.append(hex[Int(byte & 0x0F)])
                }
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]))
            out.append(UInt8(ascii: "\""))
        }
    }
}

extension JSONObject {
    /// The compact JSON text of this object.
    public var serialized: String { JSONValue.object(self).serialized }
}
