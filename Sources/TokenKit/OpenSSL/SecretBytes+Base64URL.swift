extension SecretBytes {
    /// The length of this secret's unpadded base64url text.
    var base64URLCount: Int { Base64URL.encodedLength(ofByteCount: count) }

    /// Appends this secret as unpadded base64url (RFC 4648 §5) to `out`, reading the owned
    /// buffer in place. `out` should have the capacity for it already (see
    /// ``base64URLCount``): an array that grows leaves its old, unwiped buffer behind.
    /// The caller wipes `out`.
    func appendBase64URL(to out: inout [UInt8]) {
        withUnsafeBytes { input in
            var index = 0
            while index + 3 <= input.count {
                let chunk = UInt32(input[index]) << 16 | UInt32(input[index + 1]) << 8 | UInt32(input[index + 2])
                for shift in [18, 12, 6, 0] { out.append(Self.base64URLCharacter(chunk >> UInt32(shift) & 63)) }
                index += 3
            }
            let rest = input.count - index
            guard rest > 0 else { return }
            let chunk = UInt32(input[index]) << 16 | (rest == 2 ? UInt32(input[index + 1]) << 8 : 0)
            for shift in [18, 12, 6].prefix(rest + 1) { out.append(Self.base64URLCharacter(chunk >> UInt32(shift) & 63)) }
        }
    }

    /// The base64url character of a 6-bit value, computed without a table lookup indexed by
    /// secret bits.
    private static func base64URLCharacter(_ value: UInt32) -> UInt8 {
        let v = UInt8(value)
        switch v {
        case 0..<26: return UInt8(ascii: "A") + v
        case 26..<52: return UInt8(ascii: "a") + v - 26
        case 52..<62: return UInt8(ascii: "0") + v - 52
        case 62: return UInt8(ascii: "-")
        default: return UInt8(ascii: "_")
        }
    }
}
