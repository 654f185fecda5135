#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Points in time as tokenctl reads and writes them: Unix seconds (NumericDate, RFC 7519
/// §2) or RFC 3339 date-times.
public enum Instant {
    /// The system clock's current time in whole Unix seconds (rounded down).
    public static func current() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec)
    }

    /// The largest instant accepted: the year 9999 ends before it.
    public static let maxSeconds: Int64 = 253_402_300_799
    /// The smallest instant accepted: 0001-01-01T00:00:00Z.
    public static let minSeconds: Int64 = -62_135_596_800

    /// Parses Unix seconds (`1767225600`) or an RFC 3339 date-time
    /// (`2026-01-01T00:00:00Z`, `2026-01-01T01:00:00+01:00`, fractions ignored).
    ///
    /// - Throws: ``TokenError/Code/invalidValue``.
    public static func parse(_ text: String) throws -> Int64 {
        if let seconds = Int64(text), !text.hasPrefix("+") {
            guard seconds >= minSeconds, seconds <= maxSeconds else {
                throw TokenError.invalidValue("instant '\(text)' is out of range")
            }
            return seconds
        }
        if let seconds = parseRFC3339(text) { return seconds }
        throw TokenError.invalidValue(
            "invalid instant '\(text)': use Unix seconds (1767225600) or RFC 3339 (2026-01-01T00:00:00Z)")
    }

    /// Parses a value that is either a duration counted from `issuedAt` (`15m`, `1h30m`,
    /// `+1h`) or an instant (Unix seconds or RFC 3339), as `exp` and `nbf` are given to `sign`.
    ///
    /// A plain number is an instant (Unix seconds), not a duration: `3600` is 1970-01-01T01:00:00Z.
    /// - Parameters:
    ///   - text: the value.
    ///   - issuedAt: the instant a duration counts from (the token's `iat`).
    /// - Throws: ``TokenError/Code/invalidValue``.
    public static func parse(durationOrInstant text: String, from issuedAt: Int64) throws -> Int64 {
        if !text.allSatisfy(\.isASCIIDigit), let seconds = try? TokenDuration.parse(text) {
            return issuedAt + seconds
        }
        do {
            return try parse(text)
        } catch {
            throw TokenError.invalidValue(
                "invalid time '\(text)': use a duration counted from iat (15m, +2h, 7d) or an instant "
                    + "(Unix seconds or RFC 3339)")
        }
    }

    /// The RFC 3339 UTC form of Unix seconds: `2026-01-01T00:00:00Z`.
    public static func rfc3339(_ seconds: Int64) -> String {
        var out = ByteWriter(capacity: 20)
        appendRFC3339(seconds, to: &out)
        return out.string
    }

    /// How an instant relates to `now`, as people say it: `in 14 minutes`, `3 days ago`,
    /// `2 years ago`, `now`. One unit, the largest that fits, rounded down.
    public static func relative(_ seconds: Int64, now: Int64) -> String {
        var out = ByteWriter(capacity: 32)
        appendRelative(seconds, now: now, to: &out)
        return out.string
    }

    /// A length of time in words, as ``relative(_:now:)`` says it: `1 second`, `14 minutes`,
    /// `5 hours`, `3 days`, `2 months`, `3 years` (one unit, the largest that fits, rounded down).
    public static func spoken(_ seconds: UInt64) -> String {
        var out = ByteWriter(capacity: 32)
        appendSpoken(seconds, to: &out)
        return out.string
    }

    private static func parseRFC3339(_ text: String) -> Int64? {
        let bytes = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int64? {
            guard range.upperBound <= bytes.count else { return nil }
            var value: Int64 = 0
            for byte in bytes[range] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int64(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard bytes.count >= 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            [UInt8(ascii: "T"), UInt8(ascii: "t"), UInt8(ascii: " ")].contains(bytes[10]),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            (1...12).contains(month), day >= 1, day <= daysInMonth(year: year, month: month),
            hour < 24, minute < 60, second < 61
        else { return nil }
        var index = 19
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                index += 1
            }
            if index == start { return nil }
        }
        guard index < bytes.count else { return nil }
        var offset: Int64 = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard index + 6 == bytes.count, bytes[index + 3] == UInt8(ascii: ":"),
                let offsetHours = number(index + 1..<index + 3), let offsetMinutes = number(index + 4..<index + 6),
                offsetHours < 24, offsetMinutes < 60
            else { return nil }
            offset = (offsetHours * 3600 + offsetMinutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
        default:
            return nil
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offset
    }

    private static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        value >= 0 ? value / divisor : -((-value + divisor - 1) / divisor)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civilDate(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}
