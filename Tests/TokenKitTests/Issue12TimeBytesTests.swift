import Testing
@testable import TokenKit

/// Issue 12: times are written as bytes into output buffers (``Instant/appendRFC3339(_:to:)``,
/// ``Instant/appendRelative(_:now:to:)``); the string forms are made from them, so both read the same.
@Suite("issue 12: RFC 3339 and relative times written as bytes")
struct Issue12TimeBytesTests {
    static func bytes(_ write: (inout ByteWriter) -> Void) -> String {
        var out = ByteWriter()
        out.append(contentsOf: "x")  // appends after what is there
        write(&out)
        return out.string
    }

    @Test("RFC 3339 at the edges of the range, before 1970 and on leap days")
    func rfc3339() {
        let cases: [(Int64, String)] = [
            (0, "1970-01-01T00:00:00Z"), (-1, "1969-12-31T23:59:59Z"), (951_782_400, "2000-02-29T00:00:00Z"),
            (Instant.minSeconds, "0001-01-01T00:00:00Z"), (Instant.maxSeconds, "9999-12-31T23:59:59Z"),
            (Instant.maxSeconds + 1, "9999-12-31T23:59:59Z"), (.min, "0001-01-01T00:00:00Z"),
            (-62_000_000_000, "0005-04-19T09:46:40Z"), (1_767_225_599, "2025-12-31T23:59:59Z"),
        ]
        for (seconds, text) in cases {
            #expect(Instant.rfc3339(seconds) == text)
            #expect(Self.bytes { Instant.appendRFC3339(seconds, to: &$0) } == "x" + text)
        }
    }

    @Test("decimal numbers as String(value) writes them, at every length")
    func decimal() {
        var values: [UInt64] = Array(0...1_100) + [9_999, 10_000, 65_535, 1_796_882_698, UInt64(Int64.max), .max]
        for digits in 1...19 {
            let power = (0..<digits).reduce(UInt64(1)) { product, _ in product * 10 }
            values += [power - 1, power, power + 1]
        }
        for value in values {
            #expect(Self.bytes { Instant.appendDecimal(value, to: &$0) } == "x" + String(value))
        }
    }

    @Test("relative times and lengths at each unit's boundary")
    func relative() {
        let cases: [(Int64, String)] = [
            (0, "now"), (1, "in 1 second"), (-1, "1 second ago"), (59, "in 59 seconds"), (60, "in 1 minute"),
            (3_599, "in 59 minutes"), (3_600, "in 1 hour"), (47 * 3_600 + 3_599, "in 47 hours"), (48 * 3_600, "in 2 days"),
            (60 * 86_400 - 1, "in 59 days"), (60 * 86_400, "in 1 month"), (24 * 2_629_746 - 1, "in 23 months"),
            (24 * 2_629_746, "in 2 years"), (-31_556_952, "12 months ago"), (-2 * 31_556_952, "2 years ago"),
        ]
        for (delta, text) in cases {
            #expect(Instant.relative(1_000_000 + delta, now: 1_000_000) == text)
            #expect(Self.bytes { Instant.appendRelative(1_000_000 + delta, now: 1_000_000, to: &$0) } == "x" + text)
        }
        #expect(Instant.spoken(0) == "0 seconds")
        #expect(Instant.spoken(UInt64.max) == "584554049253 years")
    }

    @Test("a token's times read as decode shows them, as bytes and as strings")
    func inspectionTimes() throws {
        let payload = #"{"iat":999,"nbf":1000.5,"exp":1900}"#
        let token = try CompactToken(Base64URL.encode(Array(#"{"alg":"HS256"}"#.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + ".")
        let inspection = TokenInspection(token: token, now: 1000)
        #expect(inspection.times.map(\.relative) == ["issued 1 second ago", "becomes valid in 1 second", "expires in 15 minutes"])
        #expect(inspection.times.map { time in Self.bytes { time.appendRelative(to: &$0) } }
            == ["xissued 1 second ago", "xbecomes valid in 1 second", "xexpires in 15 minutes"])
        #expect(inspection.times.map(\.rfc3339) == ["1970-01-01T00:16:39Z", "1970-01-01T00:16:40Z", "1970-01-01T00:31:40Z"])
    }
}
