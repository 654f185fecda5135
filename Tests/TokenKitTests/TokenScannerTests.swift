import Testing
@testable import TokenKit

@Suite("Scanning free text for tokens (issue 11)")
struct TokenScannerTests {
    static let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2ln"
    static let other = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIyIn0.c2ln"

    /// Scans `text` fed in pieces of `piece` bytes (the whole text at once by default).
    static func scan(_ text: String, piece: Int = .max, maxLineBytes: Int = TokenScanner.defaultMaxLineBytes)
        -> [ScanOccurrence]
    {
        var scanner = TokenScanner(source: "t", maxLineBytes: maxLineBytes)
        var found: [ScanOccurrence] = []
        let bytes = Array(text.utf8)
        var start = 0
        while start < bytes.count {
            let end = min(start + piece, bytes.count)
            scanner.feed(Array(bytes[start..<end])) { found.append($0) }
            start = end
        }
        scanner.finish { found.append($0) }
        return found
    }

    static func carrier(_ line: String) -> ScanPlace? {
        let found = scan(line)
        #expect(found.count == 1, "\(line)")
        #expect(found.first?.text == jwt, "\(line)")
        return found.first?.place
    }

    @Test("names what holds the token", arguments: [
        ("> Authorization: Bearer \(jwt)", ScanPlace.Carrier.authorization(scheme: "Bearer")),
        ("Authorization: DPoP \(jwt)", .authorization(scheme: "DPoP")),
        ("authorization: JWT \(jwt)", .authorization(scheme: "JWT")),
        ("> Cookie: theme=dark; session=\(jwt); csrf=1", .cookie(name: "session")),
        ("< set-cookie: id=\(jwt); Path=/; Secure", .setCookie(name: "id")),
        ("< Location: https://app/cb#state=1&access_token=\(jwt)&x=1", .fragmentParameter(name: "access_token")),
        ("GET https://app/login?id_token=\(jwt) 302", .queryParameter(name: "id_token")),
        ("  \"id_token\": \"\(jwt)\",", .jsonMember(name: "id_token")),
        ("{\"access_token\":\"\(jwt)\",\"expires_in\":900}", .jsonMember(name: "access_token")),
        ("msg=\"{\\\"refresh_token\\\":\\\"\(jwt)\\\"}\"", .jsonMember(name: "refresh_token")),
        ("INFO auth token=\(jwt) user=alice", .field(name: "token")),
        ("WARN jwt: \(jwt)", .field(name: "jwt")),
        ("here is \(jwt).", .text),
        ("WARN rejected Bearer \(jwt) for /api", .authorization(scheme: "Bearer")),
        ("{\"Authorization\": \"DPoP \(jwt)\"}", .authorization(scheme: "DPoP")),
    ])
    func carriers(line: String, expected: ScanPlace.Carrier) {
        #expect(Self.carrier(line)?.carrier == expected, "\(line)")
    }

    @Test("names every element of a JSON array by the member holding it")
    func arrays() {
        let found = Self.scan("{\"tokens\": [\"\(Self.jwt)\", {\"x\": [1]}, \"\(Self.other)\"], \"n\": 1}\n")
        #expect(found.map(\.place.carrier) == [.jsonMember(name: "tokens"), .jsonMember(name: "tokens")])
        let object = Self.scan("{\"a\": {\"b\": 1}, \"c\": \"\(Self.jwt)\"}\n")
        #expect(object.map(\.place.carrier) == [.jsonMember(name: "c")])
        let loose = Self.scan("list: x, \"\(Self.jwt)\"\n")
        #expect(loose.map(\.place.carrier) == [.text])
    }

    @Test("records the header, direction and carrier bytes of curl -v lines")
    func curlLines() {
        let place = Self.carrier("> Authorization: Bearer \(Self.jwt)")
        #expect(place?.direction == .request)
        #expect(place?.header == "Authorization")
        #expect(place?.carrierBytes == "Authorization: Bearer \(Self.jwt)".utf8.count)
        let cookie = Self.carrier("> Cookie: a=b; session=\(Self.jwt); c=d")
        #expect(cookie?.carrierBytes == "session=\(Self.jwt)".utf8.count)
        let setCookie = Self.carrier("< Set-Cookie: session=\(Self.jwt); Path=/; HttpOnly")
        #expect(setCookie?.direction == .response)
        #expect(setCookie?.carrierBytes == "session=\(Self.jwt); Path=/; HttpOnly".utf8.count)
    }

    @Test("ignores ordinary text and keeps shapes that are not JWTs")
    func candidates() {
        #expect(Self.scan("nothing here\neyJ alone\neyJzdWIiOiIxIn0 no dots\nkeyJhb.x inside a word\n").isEmpty)
        let broken = Self.scan("token=eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0\n")
        #expect(broken.map(\.text) == ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0"])
        #expect(ScanFinding(broken[0]).token == nil)
        #expect(ScanFinding(Self.scan(Self.jwt)[0]).token != nil)
    }

    @Test("gives the same results and lines whatever the chunk size", arguments: [1, 2, 3, 7, 64, 4096])
    func chunks(piece: Int) {
        let text = "a\n\(Self.jwt)\nb\r\nc token=\(Self.other)\n\n> Cookie: s=\(Self.jwt)"
        let whole = Self.scan(text)
        #expect(whole.map(\.place.line) == [2, 4, 6])
        #expect(Self.scan(text, piece: piece) == whole)
    }

    @Test("an over-long line is scanned in bounded pieces")
    func longLine() {
        let filler = String(repeating: "x ", count: 3000)
        let text = filler + "token=\(Self.jwt) " + filler + "\(Self.other)\nnext \(Self.jwt)\n"
        let found = Self.scan(text, piece: 100, maxLineBytes: 1024)
        #expect(found.map(\.text) == [Self.jwt, Self.other, Self.jwt])
        #expect(found.map(\.place.line) == [1, 1, 2])
    }

    @Test("counts repeated tokens once")
    func collector() throws {
        var collector = ScanCollector()
        for occurrence in Self.scan("\(Self.jwt)\nx=\(Self.jwt)\n\(Self.other)\n") { collector.add(occurrence) }
        var findings: [ScanFinding] = []
        try collector.forEachFinding { findings.append($0) }
        #expect(findings.map(\.count) == [2, 1])
        #expect(findings[0].places.map(\.line) == [1, 2])
        #expect(collector.occurrences == 3)
    }

    @Test("a fingerprint shows 12 characters and hashes the rest")
    func fingerprint() {
        let print = TokenFingerprint.of(Self.jwt)
        #expect(print.hasPrefix(String(Self.jwt.prefix(12)) + "...#"))
        #expect(print.count == 12 + 4 + 8)
        #expect(print != TokenFingerprint.of(Self.other))
        #expect(!print.contains("c2ln"))
        // SHA-256 of "abc" and of nothing (FIPS 180-2 and the empty-string value).
        #expect(TokenFingerprint.of("eyJhbGciOiJIabc") == "eyJhbGciOiJI...#ba7816bf")
        #expect(TokenFingerprint.of("eyJ") == "eyJ...#e3b0c442")
    }

    @Test("finds the tokens of a HAR document with their entries")
    func har() throws {
        let body = Base64URL.encode(Array("{\"id_token\":\"\(Self.other)\"}".utf8))
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        let har = """
            {"log": {"version": "1.2", "entries": [
              {"request": {"method": "GET", "url": "https://a/cb?code=1&id_token=\(Self.jwt)",
                "headers": [{"name": "Cookie", "value": "s=\(Self.jwt)"}],
                "cookies": [{"name": "s", "value": "\(Self.jwt)"}],
                "queryString": [{"name": "id_token", "value": "\(Self.jwt)"}]},
               "response": {"status": 200, "headers": [], "cookies": [],
                "content": {"mimeType": "application/json", "encoding": "base64", "text": "\(body)"}}}
            ]}}
            """
        #expect(HARScanner.looksLikeHAR(path: nil, prefix: Array(har.utf8)))
        var found: [ScanOccurrence] = []
        try HARScanner.scan(Array(har.utf8), source: "h.har") { found.append($0) }
        #expect(found.map(\.text) == [Self.jwt, Self.jwt, Self.other])
        #expect(found.map(\.place.carrier) == [.queryParameter(name: "id_token"), .cookie(name: "s"), .jsonMember(name: "id_token")])
        #expect(found.map(\.place.line) == [2, 3, 5])  // an encoded body: the last line located (the query string)
        #expect(found.allSatisfy { $0.place.harEntry?.method == "GET" && $0.place.harEntry?.index == 1 })
        #expect(found[0].place.harEntry?.url == "https://a/cb?code=1&id_token=" + TokenFingerprint.of(Self.jwt))
        #expect(found.map { $0.place.harEntry?.part } == ["request URL", "request header", "response body"])
        #expect(throws: TokenError.self) { try HARScanner.scan(Array("{\"log\":{}}".utf8), source: "x.har") { _ in } }
    }
}

@Suite("Traffic size report (issue 11)")
struct ScanSizeReportTests {
    @Test("nearest-rank percentiles")
    func percentiles() throws {
        let p = try #require(ScanSizeReport.Percentiles(Array(1...100).shuffled()))
        #expect([p.p50, p.p95, p.p99, p.max] == [50, 95, 99, 100])
        let one = try #require(ScanSizeReport.Percentiles([7]))
        #expect([one.p50, one.p95, one.p99, one.max] == [7, 7, 7, 7])
        let three = try #require(ScanSizeReport.Percentiles([30, 10, 20]))
        #expect([three.p50, three.p95, three.p99, three.max] == [20, 30, 30, 30])
        #expect(ScanSizeReport.Percentiles([]) == nil)
    }
}

@Suite("README scanning example (issue 11)")
struct ReadmeScanExampleTests {
    @Test("scans, collects and measures as the README shows")
    func example() throws {
        let token = TokenScannerTests.jwt
        var scanner = TokenScanner(source: "curl.txt")
        var collector = ScanCollector()
        scanner.feed(Array("> Authorization: Bearer \(token)\n".utf8)) { collector.add($0) }
        scanner.finish { collector.add($0) }
        var report = ScanSizeReport(budget: .nginx)
        var seen = 0
        try collector.forEachFinding { finding in
            #expect(finding.place.carrier == .authorization(scheme: "Bearer"))
            #expect(finding.place.summary == "request header Authorization: Bearer")
            #expect(finding.count == 1)
            seen += 1
            report.add(finding)
        }
        #expect(seen == 1)
        #expect(report.bytes?.p95 == token.utf8.count)
        #expect(report.overBudget == 0)
    }
}
