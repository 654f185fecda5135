import Testing
import TokenKit

@Suite("Size budget and context")
struct SizeBudgetTests {
    @Test("bytes with binary suffixes", arguments: [
        ("4096", 4096), ("4k", 4096), ("4K", 4096), ("4KiB", 4096), ("4kib", 4096), ("1", 1),
        ("8190", 8190), ("1m", 1_048_576), ("1MiB", 1_048_576), ("1024m", 1 << 30), ("1073741824", 1 << 30),
    ])
    func parsesBytes(text: String, bytes: Int) throws {
        let budget = try SizeBudget.parse(text)
        #expect(budget.bytes == bytes)
        #expect(budget.name == nil)
    }

    @Test("named limits, case-insensitive", arguments: [
        ("cookie", 4096), ("COOKIE", 4096), ("nginx", 8192), ("apache", 8190), ("tomcat", 8192), ("node", 16384),
        ("alb", 16384), ("cloudfront", 20480), ("api-gateway", 10240), ("envoy", 61440), ("haproxy", 15360),
        ("kestrel", 32768),
    ])
    func parsesNames(text: String, bytes: Int) throws {
        let budget = try SizeBudget.parse(text)
        #expect(budget.bytes == bytes)
        #expect(budget.name == text.lowercased())
        #expect(budget.description == "\(bytes) (\(text.lowercased()))")
    }

    @Test("rejects other values", arguments: [
        "", "0", "0k", "-1", "+4096", "4.5k", "4kb", "4 k", "k", "abc", "cookies", "99999999999", "2048m", "1025m",
        "4k ", "٤٠٩٦",
    ])
    func rejects(text: String) {
        #expect(throws: TokenError(.invalidValue, "")) { try SizeBudget.parse(text) }
    }

    @Test("every named limit has a unique name and a source")
    func knownAreDocumented() {
        let names = SizeBudget.known.compactMap(\.name)
        #expect(names.count == SizeBudget.known.count)
        #expect(Set(names).count == names.count)
        for budget in SizeBudget.known {
            #expect(budget.source.count > 20)
            #expect(budget.bytes > 0)
        }
    }

    @Test("context overheads")
    func contexts() throws {
        #expect(try SizeContext.parse("authorization").overheadBytes == 22)
        #expect(SizeContext.authorization.prefix == "Authorization: Bearer ")
        let cookie = try SizeContext.parse("cookie")
        #expect(cookie == .cookie(name: "token"))
        #expect(SizeContext.cookieAttributes.utf8.count == 40)
        #expect(cookie.overheadBytes == "token=".utf8.count + 40)
        #expect(try SizeContext.parse("Cookie", cookieName: "__Host-session").overheadBytes == 15 + 40)
        #expect(try SizeContext.parse("bare").overheadBytes == 0)
    }

    @Test("rejects unknown contexts and bad cookie names")
    func rejectsContexts() {
        #expect(throws: TokenError(.invalidValue, "")) { try SizeContext.parse("header") }
        for name in ["", "a b", "a;b", "a=b", "é", "a\u{7F}"] {
            #expect(throws: TokenError(.invalidValue, "")) { try SizeContext.parse("cookie", cookieName: name) }
        }
    }
}
