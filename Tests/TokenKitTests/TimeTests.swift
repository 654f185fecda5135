import Testing
@testable import TokenKit

@Suite("Durations and instants")
struct TimeTests {
    @Test("parses durations", arguments: [
        ("90s", 90), ("15m", 900), ("2h", 7200), ("7d", 604_800), ("1w", 604_800), ("1h30m", 5400), ("45", 45),
        ("1d2h3m4s", 93_784),
    ] as [(String, Int64)])
    func durations(text: String, seconds: Int64) throws {
        #expect(try TokenDuration.parse(text) == seconds)
    }

    @Test("rejects bad durations", arguments: ["", "m", "15x", "1m1h", "1h1h", "-5m", "1.5h", "99999999999999w"])
    func badDurations(text: String) {
        #expect(throws: TokenError(.invalidValue, "")) { try TokenDuration.parse(text) }
    }

    @Test("formats durations")
    func formats() {
        #expect(TokenDuration.format(0) == "0s")
        #expect(TokenDuration.format(45) == "45s")
        #expect(TokenDuration.format(840) == "14m")
        #expect(TokenDuration.format(7500) == "2h5m")
        #expect(TokenDuration.format(3 * 86_400 + 12) == "3d")
        #expect(TokenDuration.format(-90) == "1m30s")
    }

    @Test("parses instants", arguments: [
        ("0", 0), ("1767225600", 1_767_225_600), ("2026-01-01T00:00:00Z", 1_767_225_600),
        ("2026-01-01T01:00:00+01:00", 1_767_225_600), ("2025-12-31T19:00:00.123-05:00", 1_767_225_600),
        ("1970-01-01t00:00:00z", 0), ("2024-02-29T12:00:00Z", 1_709_208_000), ("-1", -1),
    ] as [(String, Int64)])
    func instants(text: String, seconds: Int64) throws {
        #expect(try Instant.parse(text) == seconds)
    }

    @Test("rejects bad instants", arguments: [
        "2026-13-01T00:00:00Z", "2025-02-29T00:00:00Z", "2026-01-01", "2026-01-01T00:00:00", "tomorrow",
        "2026-01-01T24:00:00Z", "+5", "99999999999999",
    ])
    func badInstants(text: String) {
        #expect(throws: TokenError(.invalidValue, "")) { try Instant.parse(text) }
    }

    @Test("duration or instant: units count from iat, plain numbers are instants")
    func durationOrInstant() throws {
        #expect(try Instant.parse(durationOrInstant: "15m", from: 1000) == 1900)
        #expect(try Instant.parse(durationOrInstant: "1500", from: 1000) == 1500)
        #expect(try Instant.parse(durationOrInstant: "1970-01-01T00:30:00Z", from: 1000) == 1800)
        #expect(throws: TokenError(.invalidValue, "")) { try Instant.parse(durationOrInstant: "soon", from: 0) }
        #expect(try Instant.parse(durationOrInstant: "+1h", from: 1000) == 4600)
        #expect(try TokenDuration.parse("+90s") == 90)
    }

    @Test("relative times read as people say them")
    func spokenRelativeTimes() {
        #expect(Instant.relative(1000, now: 1000) == "now")
        #expect(Instant.relative(1001, now: 1000) == "in 1 second")
        #expect(Instant.relative(1000 + 14 * 60 + 59, now: 1000) == "in 14 minutes")
        #expect(Instant.relative(0, now: 5 * 3600) == "5 hours ago")
        #expect(Instant.relative(0, now: 3 * 31_556_952 + 100) == "3 years ago")
        #expect(Instant.relative(0, now: 158 * 604_800) == "3 years ago")
        #expect(Instant.relative(0, now: 90 * 86_400) == "2 months ago")
    }

    @Test("formats RFC 3339 and relative times")
    func formatsInstants() throws {
        #expect(Instant.rfc3339(1_767_225_600) == "2026-01-01T00:00:00Z")
        #expect(Instant.rfc3339(1_709_208_000) == "2024-02-29T12:00:00Z")
        #expect(Instant.rfc3339(-1) == "1969-12-31T23:59:59Z")
        #expect(Instant.relative(1900, now: 1000) == "in 15 minutes")
        #expect(Instant.relative(1000, now: 1000 + 3 * 86_400) == "3 days ago")
        for seconds: Int64 in [0, 86_399, 951_782_400, 4_102_444_800, -86_401] {
            #expect(try Instant.parse(Instant.rfc3339(seconds)) == seconds)
        }
    }
}
