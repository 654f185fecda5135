/// Durations as tokenctl writes them: `90s`, `15m`, `2h`, `7d`, `1w`, `1h30m`, or plain seconds.
public enum TokenDuration {
    /// The longest duration accepted: 100 years, far beyond any sane token lifetime, and
    /// small enough that instant arithmetic never overflows.
    public static let maxSeconds: Int64 = 100 * 366 * 86_400

    /// Parses a duration into seconds.
    ///
    /// - Parameter text: one or more `<number><unit>` parts (units `s`, `m`, `h`, `d`, `w`,
    ///   each at most once, largest first), or a plain number of seconds; an optional leading
    ///   `+` (`+1h`) says the same.
    /// - Throws: ``TokenError/Code/invalidValue`` with an example of the expected form.
    public static func parse(_ input: String) throws -> Int64 {
        let invalid = TokenError.invalidValue(
            "invalid duration '\(input)': use a number with a unit, like 90s, 15m, 2h, 7d, 1w or 1h30m")
        let text = input.hasPrefix("+") ? String(input.dropFirst()) : input
        if text.isEmpty { throw invalid }
        if text.allSatisfy(\.isASCIIDigit) {
            guard let seconds = Int64(text), seconds <= maxSeconds else { throw invalid }
            return seconds
        }
        let units: [(Character, Int64)] = [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)]
        var total: Int64 = 0
        var digits = ""
        var nextUnit = 0
        for char in text {
            if char.isASCIIDigit {
                digits.append(char)
                if digits.count > 12 { throw invalid }
                continue
            }
            guard !digits.isEmpty, let unitIndex = units.firstIndex(where: { $0.0 == char }), unitIndex >= nextUnit,
                let count = Int64(digits)
            else { throw invalid }
            total += count * units[unitIndex].1
            if total > maxSeconds { throw invalid }
            nextUnit = unitIndex + 1
            digits = ""
        }
        if !digits.isEmpty { throw invalid }
        return total
    }

    /// A short human form of a number of seconds: `45s`, `14m`, `2h5m`, `3d4h`, `2w`.
    /// Shows the largest non-zero unit and, when not zero, the next smaller one.
    public static func format(_ seconds: Int64) -> String {
        var out = ByteWriter(capacity: 24)
        appendFormat(seconds, to: &out)
        return out.string
    }

    /// Appends ``format(_:)`` to `out` as UTF-8 (a policy message tells its limit this way
    /// for nearly every token of a batch).
    public static func appendFormat(_ seconds: Int64, to out: inout ByteWriter) {
        let rest = seconds.magnitude
        var first = 0
        while first < formatUnitCount, rest < formatUnit(first).seconds { first += 1 }
        guard first < formatUnitCount else { return out.append(contentsOf: "0s") }
        let unit = formatUnit(first)
        Instant.appendDecimal(rest / unit.seconds, to: &out)
        out.append(unit.letter)
        if first + 1 < formatUnitCount {
            let smaller = formatUnit(first + 1)
            let next = rest % unit.seconds / smaller.seconds
            if next > 0 {
                Instant.appendDecimal(next, to: &out)
                out.append(smaller.letter)
            }
        }
    }

    /// The units ``format(_:)`` writes, largest first: weeks, days, hours, minutes, seconds.
    private static let formatUnitCount = 5

    private static func formatUnit(_ index: Int) -> (letter: UInt8, seconds: UInt64) {
        switch index {
        case 0: (UInt8(ascii: "w"), 604_800)
        case 1: (UInt8(ascii: "d"), 86_400)
        case 2: (UInt8(ascii: "h"), 3_600)
        case 3: (UInt8(ascii: "m"), 60)
        default: (UInt8(ascii: "s"), 1)
        }
    }
}

extension Character {
    var isASCIIDigit: Bool { self >= "0" && self <= "9" }
}
