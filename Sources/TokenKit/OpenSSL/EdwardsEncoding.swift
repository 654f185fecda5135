/// Checks of encoded Ed25519 and Ed448 points (RFC 8032 §5.1.3, §5.2.3) that OpenSSL 3.0 does
/// not make: a public key, or a signature's `R`, that is a point of small order, or an
/// encoding that is not canonical (`y` not below the field prime, or stray bits).
///
/// With the small-order public key `01 00…00` (the neutral element), the signature
/// `01 00…00 ‖ 00…00` verifies for every message; such keys and `R` values are refused.
enum EdwardsEncoding {
    /// Why `bytes`, an encoded point on `curve`, must not be used, or `nil` when it is fine.
    static func weakness(_ bytes: [UInt8], curve: OKPCurve) -> String? {
        let length = curve.keyByteCount
        guard bytes.count == length else { return "it is \(bytes.count) bytes, not \(length)" }
        var y = bytes
        switch curve {
        case .ed25519:
            y[31] &= 0x7F
        case .ed448:
            if bytes[56] & 0x7F != 0 { return "its encoding is not canonical (stray bits in the last byte)" }
            y.removeLast()
        }
        let prime = fieldPrime(curve)
        if !isLess(y, prime) { return "its encoding is not canonical (y is not below the field prime)" }
        if smallOrderYValues(curve).contains(y) { return "it is a point of small order" }
        return nil
    }

    /// The field prime, little-endian: 2^255 - 19, or 2^448 - 2^224 - 1.
    private static func fieldPrime(_ curve: OKPCurve) -> [UInt8] {
        switch curve {
        case .ed25519:
            return [0xED] + [UInt8](repeating: 0xFF, count: 30) + [0x7F]
        case .ed448:
            var prime = [UInt8](repeating: 0xFF, count: 56)
            prime[28] = 0xFE
            return prime
        }
    }

    /// The `y` coordinates (little-endian, sign bit cleared) of the points of small order:
    /// for Ed25519 the eight points of order dividing 8, for Ed448 the four of order dividing 4.
    /// Either sign of `x` is refused.
    private static func smallOrderYValues(_ curve: OKPCurve) -> [[UInt8]] {
        let prime = fieldPrime(curve)
        let zero = [UInt8](repeating: 0, count: prime.count)
        var one = zero
        one[0] = 1
        var minusOne = prime
        minusOne[0] -= 1
        switch curve {
        case .ed25519:
            return [zero, one, minusOne, hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
                    hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05")]
        case .ed448:
            return [zero, one, minusOne]
        }
    }

    /// Whether little-endian `a` is below little-endian `b` (same length).
    private static func isLess(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        for index in stride(from: a.count - 1, through: 0, by: -1) where a[index] != b[index] {
            return a[index] < b[index]
        }
        return false
    }

    private static func hex(_ text: String) -> [UInt8] {
        let digits = Array(text.utf8)
        return stride(from: 0, to: digits.count, by: 2).map { index in
            UInt8(String(decoding: digits[index..<index + 2], as: UTF8.self), radix: 16)!
        }
    }
}
