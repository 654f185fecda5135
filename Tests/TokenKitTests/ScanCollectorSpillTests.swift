import Foundation
import Testing

@testable import TokenKit

/// Issue 12: a scan's memory stays flat in the number of distinct tokens; findings go to a
/// temporary file in sorted runs and come back merged, as if they had stayed in memory.
@Suite("Scan collector on disk (issue 12)")
struct ScanCollectorSpillTests {
    /// A JWT-shaped token numbered `n` (distinct per `n`).
    static func token(_ n: Int) -> String {
        let payload = Base64URL.encode(Array("{\"sub\":\"user\(n)\",\"pad\":\"\(String(repeating: "x", count: n % 37))\"}".utf8))
        return "eyJhbGciOiJIUzI1NiJ9.\(payload).\(Base64URL.encode(Array("sig\(n)".utf8)))"
    }

    /// Lines naming tokens drawn with repeats (a fixed pseudo-random order), some not JWTs,
    /// and the places carried differently.
    static func input(lines: Int, distinct: Int) -> (text: String, tokens: [String]) {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        var text = ""
        var tokens: [String] = []
        for line in 0..<lines {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            let n = Int((state >> 33) % UInt64(distinct))
            let token = n % 50 == 7 ? "eyJub3QganNvbg.eyJ4IjoxfQ.c2ln\(n)" : token(n)
            tokens.append(token)
            switch line % 3 {
            case 0: text += "> Authorization: Bearer \(token)\n"
            case 1: text += "GET /cb#access_token=\(token)&x=1\n"
            default: text += "{\"id_token\": \"\(token)\"}\n"
            }
        }
        return (text, tokens)
    }

    static func collect(_ text: String, memoryBytes: Int) throws -> (ScanCollector, [ScanFinding]) {
        var scanner = TokenScanner(source: "log.txt")
        var collector = ScanCollector(memoryBytes: memoryBytes)
        scanner.feed(Array(text.utf8)) { collector.add($0) }
        scanner.finish { collector.add($0) }
        var findings: [ScanFinding] = []
        try collector.forEachFinding { findings.append($0) }
        return (collector, findings)
    }

    @Test("findings spilled in many runs come back as if kept in memory")
    func spilledEqualsInMemory() throws {
        let (text, tokens) = Self.input(lines: 3_000, distinct: 700)
        // Expectation computed without the collector: first appearance order, counts, lines.
        var order: [String] = []
        var lines: [String: [Int]] = [:]
        for (index, token) in tokens.enumerated() {
            if lines[token] == nil { order.append(token) }
            lines[token, default: []].append(index + 1)
        }
        for memory in [1, 4_096, 64 * 1024, 1 << 30] {
            let (collector, findings) = try Self.collect(text, memoryBytes: memory)
            #expect(collector.occurrences == tokens.count)
            #expect(findings.map(\.text) == order, "memory \(memory)")
            #expect(findings.map(\.count) == order.map { lines[$0]!.count }, "memory \(memory)")
            #expect(
                findings.map { $0.places.map(\.line) } == order.map { Array(lines[$0]!.prefix(ScanFinding.maxPlaces)) },
                "memory \(memory)")
            #expect(findings.map(\.isJWT) == order.map { !$0.hasPrefix("eyJub3Q") })
        }
    }

    @Test("findings larger than a merge's read chunk (4 KiB) come back whole, in order")
    func recordsLargerThanAReadChunk() throws {
        // Tokens from 3 to 20 KB among small ones, so records straddle reads and some are
        // several chunks long; the expectation is the input's own order of first appearance.
        var text = ""
        var order: [String] = []
        for n in 0..<240 {
            let pad = String(repeating: "p", count: n % 4 == 0 ? 3_000 + 700 * (n % 25) : n % 9)
            let payload = Base64URL.encode(Array("{\"sub\":\"u\(n)\",\"pad\":\"\(pad)\"}".utf8))
            let token = "eyJhbGciOiJIUzI1NiJ9.\(payload).c2ln"
            order.append(token)
            text += "Authorization: Bearer \(token)\nrepeat \(token)\n"
        }
        for memory in [1, 8_192, 1 << 30] {
            let (_, findings) = try Self.collect(text, memoryBytes: memory)
            #expect(findings.map(\.text) == order, "memory \(memory)")
            #expect(findings.allSatisfy { $0.count == 2 && $0.isJWT }, "memory \(memory)")
        }
    }

    @Test("places, carriers and not-JWT reasons survive the temporary file")
    func recordsRoundTrip() throws {
        let (text, _) = Self.input(lines: 600, distinct: 200)
        let (_, kept) = try Self.collect(text, memoryBytes: 1 << 30)
        let (_, spilled) = try Self.collect(text, memoryBytes: 1)
        #expect(kept.count == spilled.count)
        for (a, b) in zip(kept, spilled) {
            #expect(a.places == b.places)
            #expect(a.fingerprint == b.fingerprint)
            if case .notJWT(let first) = a.kind, case .notJWT(let second) = b.kind {
                #expect(first.code == second.code && first.reason == second.reason)
            } else {
                #expect(a.isJWT && b.isJWT)
            }
        }
        let place = ScanPlace(
            source: "s.har", line: 9, carrier: .setCookie(name: "sid"), header: "Set-Cookie", direction: .response,
            harEntry: .init(index: 3, method: "POST", url: "https://a/b?c=d", part: "response header"), carrierBytes: 0)
        var writer = SpillRecordWriter()
        place.appendRecord(to: &writer)
        let back = try writer.bytes.withUnsafeBytes { raw in
            var reader = SpillRecordReader(raw)
            return try ScanPlace(record: &reader)
        }
        #expect(back == place)
    }

    @Test("a damaged record is an error, not a crash")
    func damaged() {
        var writer = SpillRecordWriter()
        ScanPlace(source: "x", line: 1, carrier: .text).appendRecord(to: &writer)
        for cut in 0..<writer.bytes.count {
            #expect(throws: TokenError.self) {
                try Array(writer.bytes.prefix(cut)).withUnsafeBytes { raw in
                    var reader = SpillRecordReader(raw)
                    _ = try ScanPlace(record: &reader)
                }
            }
        }
    }
}
