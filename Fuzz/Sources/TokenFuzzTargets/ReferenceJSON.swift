/// A second, deliberately simple JSON decoder (RFC 8259 plus TokenKit's documented rules:
/// no duplicate member names, no lone surrogate escapes, nesting at most 64, at most 100000
/// members per object), written independently of `JSONParser`, for the agreement property.
/// Input is valid UTF-8 (checked by the caller).
struct ReferenceJSON {
    let bytes: [UInt8]
    var index = 0
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func accepts() -> Bool {
        space()
        guard value(depth: 0) else { return false }
        space()
        return index == bytes.count
    }

    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func space() { while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D { index += 1 } }

    mutating func literal(_ text: String) -> Bool {
        for byte in text.utf8 {
            guard current == byte else { return false }
            index += 1
        }
        return true
    }

    mutating func value(depth: Int) -> Bool {
        switch current {
        case UInt8(ascii: "{")?: return object(depth: depth + 1)
        case UInt8(ascii: "[")?: return array(depth: depth + 1)
        case UInt8(ascii: "\"")?: return string() != nil
        case UInt8(ascii: "t")?: return literal("true")
        case UInt8(ascii: "f")?: return literal("false")
        case UInt8(ascii: "n")?: return literal("null")
        case let byte? where byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39): return number()
        default: return false
        }
    }

    mutating func digits() -> Int {
        var count = 0
        while let byte = current, byte >= 0x30 && byte <= 0x39 { index += 1; count += 1 }
        return count
    }

    mutating func number() -> Bool {
        if current == UInt8(ascii: "-") { index += 1 }
        if current == UInt8(ascii: "0") {
            index += 1
        } else if digits() == 0 {
            return false
        }
        if current == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { return false }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { return false }
        }
        return true
    }

    mutating func hex4() -> UInt32? {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = current else { return nil }
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: return nil
            }
            value = value * 16 + digit
            index += 1
        }
        return value
    }

    /// The string's Unicode scalars, or nil.
    mutating func string() -> [UInt32]? {
        index += 1
        var scalars: [UInt32] = []
        var start = index
        func flush(_ end: Int) { scalars += String(decoding: bytes[start..<end], as: UTF8.self).unicodeScalars.map(\.value) }
        while true {
            guard let byte = current else { return nil }
            if byte == UInt8(ascii: "\"") { flush(index); index += 1; return scalars }
            if byte < 0x20 { return nil }
            if byte != UInt8(ascii: "\\") { index += 1; continue }
            flush(index)
            index += 1
            guard let escape = current else { return nil }
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(UInt32(escape))
            case UInt8(ascii: "b"): scalars.append(8)
            case UInt8(ascii: "f"): scalars.append(12)
            case UInt8(ascii: "n"): scalars.append(10)
            case UInt8(ascii: "r"): scalars.append(13)
            case UInt8(ascii: "t"): scalars.append(9)
            case UInt8(ascii: "u"):
                guard let unit = hex4() else { return nil }
                if unit >= 0xDC00 && unit <= 0xDFFF { return nil }
                if unit >= 0xD800 && unit <= 0xDBFF {
                    guard literal("\\u"), let low = hex4(), low >= 0xDC00 && low <= 0xDFFF else { return nil }
                    scalars.append(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
                } else {
                    scalars.append(unit)
                }
            default: return nil
            }
            start = index
        }
    }

    mutating func object(depth: Int) -> Bool {
        if depth > 64 { return false }
        index += 1
        space()
        if current == UInt8(ascii: "}") { index += 1; return true }
        var names = Set<[UInt32]>()
        while true {
            space()
            guard current == UInt8(ascii: "\""), let name = string(), names.insert(name).inserted, names.count <= 100_000 else { return false }
            space()
            guard current == UInt8(ascii: ":") else { return false }
            index += 1
            space()
            guard value(depth: depth) else { return false }
            space()
            if current == UInt8(ascii: ",") { index += 1; continue }
            if current == UInt8(ascii: "}") { index += 1; return true }
            return false
        }
    }

    mutating func array(depth: Int) -> Bool {
        if depth > 64 { return false }
        index += 1
        space()
        if current == UInt8(ascii: "]") { index += 1; return true }
        while true {
            space()
            guard value(depth: depth) else { return false }
            space()
            if current == UInt8(ascii: ",") { index += 1; continue }
            if current == UInt8(ascii: "]") { index += 1; return true }
            return false
        }
    }
}
