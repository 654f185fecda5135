import Foundation
import Testing
import TokenKit
@testable import TokenCLI

/// `--scan` in-process, on buffered standard input (the path tests and embedders take).
@Suite("--scan on buffered input")
struct ScanCommandTests {
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"

    @Test("inspect-size --scan reads a buffered stdin line by line")
    func bufferedStdin() throws {
        let run = try InspectSizeRun(
            [("scan", nil), ("format", "json")], [],
            stdin: "> Authorization: Bearer \(Self.jwt)\nnoise\nid_token=\(Self.jwt)\n")
        #expect(run.status == .success, "\(run.stderr)")
        let report = try run.json.objectValue
        #expect(report?["count"] == .number(JSONNumber(1)))
        #expect(report?["occurrences"] == .number(JSONNumber(2)))
        #expect(!run.stdout.contains(Self.jwt))
    }

    @Test("openJSONHead writes the head's members as jsonHead serializes them, the object left open")
    func openJSONHead() throws {
        var scanner = TokenScanner(source: "a \"quoted\" file.log")
        var findings: [ScanFinding] = []
        let text = "> Authorization: Bearer \(Self.jwt)\nSet-Cookie: sid=\(Self.jwt)\nx=eyJub3QganNvbg.eyJ4IjoxfQ.c2ln\n"
        var collector = ScanCollector()
        scanner.feed(Array(text.utf8)) { collector.add($0) }
        scanner.finish { collector.add($0) }
        // Places with every optional member: a header, a direction, a HAR entry, and text to escape.
        let entry = ScanPlace.HAREntry(index: 3, method: "POST", url: "https://api.example/a?b=\"c\"\\d", part: "request header")
        collector.add(ScanOccurrence(text: Self.jwt, place: ScanPlace(
            source: "capture.har", line: 12, carrier: .authorization(scheme: "Bearer"), header: "Authorization",
            direction: .request, harEntry: entry)))
        collector.add(ScanOccurrence(text: Self.jwt, place: ScanPlace(
            source: "tab\tfile", line: 7, carrier: .header, header: "X-Tok\u{1}en", direction: .response)))
        collector.add(ScanOccurrence(text: Self.jwt, place: ScanPlace(source: "plain.txt", line: 1, carrier: .text)))
        try collector.forEachFinding { findings.append($0) }
        #expect(findings.count == 2)
        #expect(findings.contains { $0.places.contains { $0.harEntry != nil } })
        for finding in findings {
            for showTokens in [false, true] {
                var out = ByteWriter()
                ScanRender.openJSONHead(finding, showTokens: showTokens, to: &out)
                out.append(UInt8(ascii: "}"))
                #expect(out.string == ScanRender.jsonHead(finding, showTokens: showTokens).serialized)
            }
        }
    }

    @Test("a terminal on stdin and no file is a usage error")
    func terminal() throws {
        #expect(throws: UsageError.self) { try InspectSizeRun([("scan", nil)], [], stdin: "", terminal: true) }
    }
}
