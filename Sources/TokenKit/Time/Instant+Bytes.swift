extension Instant {
    /// Appends ``rfc3339(_:)`` of `seconds` to `out` as UTF-8, without building a string: the
    /// one writer of the RFC 3339 form (``rfc3339(_:)`` returns what it writes).
    public static func appendRFC3339(_ seconds: Int64, to out: inout ByteWriter) {
        let clamped = min(max(seconds, minSeconds), maxSeconds)
        let days = clamped >= 0 ? clamped / 86_400 : -((-clamped + 86_399) / 86_400)
        let secondOfDay = clamped - days * 86_400
        let (year, month, day) = civilDate(fromDays: days)
        // The usual four-digit year: twenty bytes written in place, two digits at a time.
        if year >= 0, year <= 9999 {
            out.append(count: 20) { field in
                func put(_ value: Int64, at offset: Int) {
                    field[offset] = UInt8(ascii: "0") + UInt8(value / 10)
                    field[offset + 1] = UInt8(ascii: "0") + UInt8(value % 10)
                }
                put(year / 100, at: 0)
                put(year % 100, at: 2)
                field[4] = UInt8(ascii: "-")
                put(month, at: 5)
                field[7] = UInt8(ascii: "-")
                put(day, at: 8)
                field[10] = UInt8(ascii: "T")
                put(secondOfDay / 3600, at: 11)
                field[13] = UInt8(ascii: ":")
                put(secondOfDay / 60 % 60, at: 14)
                field[16] = UInt8(ascii: ":")
                put(secondOfDay % 60, at: 17)
                field[19] = UInt8(ascii: "Z")
            }
            return
        }
        appendPadded(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendPadded(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(secondOfDay % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    /// Appends ``relative(_:now:)`` to `out` as UTF-8 (`in 14 minutes`, `3 days ago`, `now`).
    public static func appendRelative(_ seconds: Int64, now: Int64, to out: inout ByteWriter) {
        let delta = seconds.subtractingReportingOverflow(now).partialValue
        if delta == 0 {
            out.append(contentsOf: "now")
            return
        }
        if delta > 0 { out.append(contentsOf: "in ") }
        appendSpoken(delta.magnitude, to: &out)
        if delta < 0 { out.append(contentsOf: " ago") }
    }

    /// Appends ``spoken(_:)`` to `out` as UTF-8: `1 second`, `14 minutes`, `3 years`.
    public static func appendSpoken(_ seconds: UInt64, to out: inout ByteWriter) {
        let (count, unit) = spokenUnit(seconds)
        appendDecimal(count, to: &out)
        out.append(UInt8(ascii: " "))
        let name: StaticString
        switch unit {
        case 0: name = "second"
        case 1: name = "minute"
        case 2: name = "hour"
        case 3: name = "day"
        case 4: name = "month"
        default: name = "year"
        }
        out.append(contentsOf: name)
        if count != 1 { out.append(UInt8(ascii: "s")) }
    }

    /// The one unit a length of time is told in: the largest that fits (0 seconds, 1 minutes,
    /// 2 hours, 3 days, 4 months, 5 years), the count rounded down. Two lengths read the same
    /// in words (``spoken(_:)``) exactly when their units are equal.
    static func spokenUnit(_ seconds: UInt64) -> (count: UInt64, unit: Int) {
        // seconds in one unit, and the count from which the next unit is used
        if seconds < 60 { return (seconds, 0) }
        if seconds / 60 < 60 { return (seconds / 60, 1) }
        if seconds / 3_600 < 48 { return (seconds / 3_600, 2) }
        if seconds / 86_400 < 60 { return (seconds / 86_400, 3) }
        if seconds / 2_629_746 < 24 { return (seconds / 2_629_746, 4) }
        return (seconds / 31_556_952, 5)
    }

    /// Appends the decimal digits of `value`: the one integer writer of the byte renderers.
    public static func appendDecimal(_ value: UInt64, to out: inout ByteWriter) {
        // Up to three digits (most sizes and counts), appended one by one: cheaper than a
        // scratch buffer and a copy (callgrind: ~190 instructions a number before).
        if value < 1000 {
            if value >= 100 { out.append(UInt8(ascii: "0") + UInt8(value / 100)) }
            if value >= 10 { out.append(UInt8(ascii: "0") + UInt8(value / 10 % 10)) }
            out.append(UInt8(ascii: "0") + UInt8(value % 10))
            return
        }
        // The digits counted first, then written in place from the last: no scratch space
        // and no copy (a NumericDate has ten).
        var count = 4
        var bound: UInt64 = 10_000
        while count < 20, value >= bound {
            count += 1
            bound &*= 10  // wraps only past 10^19, when the loop ends (20 digits hold any UInt64)
        }
        out.append(count: count) { field in
            var rest = value
            var index = count
            repeat {
                index -= 1
                field[index] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while index > 0
        }
    }

    /// Appends `value` in at least `width` characters, zeros first (as `String(value)` left-padded).
    private static func appendPadded(_ value: Int64, width: Int, to out: inout ByteWriter) {
        if width == 2, value >= 0, value < 100 {
            out.append(UInt8(ascii: "0") + UInt8(value / 10))
            out.append(UInt8(ascii: "0") + UInt8(value % 10))
            return
        }
        var magnitude = value.magnitude
        var length = value < 0 ? 2 : 1
        while magnitude >= 10 {
            magnitude /= 10
            length += 1
        }
        for _ in 0..<max(0, width - length) { out.append(UInt8(ascii: "0")) }
        if value < 0 { out.append(UInt8(ascii: "-")) }
        appendDecimal(value.magnitude, to: &out)
    }
}
