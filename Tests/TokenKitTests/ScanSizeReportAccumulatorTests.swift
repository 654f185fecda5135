import Foundation
import Testing

@testable import TokenKit

/// Issue 12: `inspect-size --scan` keeps counters, size histograms and bounded lists, not
/// every token; its figures are those of the whole corpus, computed here without the report.
@Suite("Scan size report as an accumulator (issue 12)")
struct ScanSizeReportAccumulatorTests {
    /// Token `n`: issuer `iss<n % issuers>`, key id `k<n % 3>`, padded to vary its size.
    static func token(_ n: Int, issuers: Int) -> String {
        let header = Base64URL.encode(Array("{\"alg\":\"HS256\",\"kid\":\"k\(n % 3)\"}".utf8))
        let pad = String(repeating: "p", count: (n * 7919) % 300)
        let payload = Base64URL.encode(Array("{\"iss\":\"iss\(n % issuers)\",\"sub\":\"\(n)\",\"pad\":\"\(pad)\"}".utf8))
        return "\(header).\(payload).c2ln"
    }

    static func finding(_ text: String, line: Int) -> ScanFinding {
        ScanFinding(ScanOccurrence(text: text, place: ScanPlace(source: "log", line: line, carrier: .text)))
    }

    /// The nearest-rank percentile by sorting, as the definition reads.
    static func nearestRank(_ sizes: [Int], _ percent: Int) -> Int {
        let sorted = sizes.sorted()
        return sorted[max(Int((Double(percent) / 100 * Double(sorted.count)).rounded(.up)), 1) - 1]
    }

    @Test("percentiles, groups and bounded lists match the whole corpus")
    func matchesCorpus() {
        let issuers = ScanSizeReport.maxGroups + 30
        let tokens = (0..<2_000).map { Self.token($0, issuers: issuers) }
        let notJWTs = (0..<(ScanSizeReport.maxListed + 5)).map { "eyJub3QganNvbg.eyJ4IjoxfQ.c2ln\($0)" }
        let budget = SizeBudget(bytes: 400)
        var report = ScanSizeReport(budget: budget)
        for (line, text) in (tokens + notJWTs).enumerated() { report.add(Self.finding(text, line: line + 1)) }

        let sizes = tokens.map(\.utf8.count)
        #expect(report.count == tokens.count)
        #expect(report.occurrences == tokens.count)
        #expect(report.notJWTCount == notJWTs.count)
        #expect(report.notJWTs.map(\.text) == Array(notJWTs.prefix(ScanSizeReport.maxListed)))
        #expect(report.bytes?.p50 == Self.nearestRank(sizes, 50))
        #expect(report.bytes?.p95 == Self.nearestRank(sizes, 95))
        #expect(report.bytes?.p99 == Self.nearestRank(sizes, 99))
        #expect(report.bytes?.max == sizes.max())
        #expect(report.histogram.map(\.count).reduce(0, +) == tokens.count)
        #expect(report.histogram[1].count == sizes.filter { $0 > 256 && $0 <= 512 }.count)

        // Largest first, ties in order found.
        let bySize = tokens.enumerated().sorted {
            $0.element.utf8.count != $1.element.utf8.count
                ? $0.element.utf8.count > $1.element.utf8.count : $0.offset < $1.offset
        }.map(\.element)
        #expect(report.largest.map(\.finding.text) == Array(bySize.prefix(ScanSizeReport.largestShown)))
        let over = bySize.filter { $0.utf8.count > 400 }
        #expect(report.overBudget == over.count)
        #expect(over.count > ScanSizeReport.maxListed)
        #expect(report.overBudgetEntries.map(\.finding.text) == Array(over.prefix(ScanSizeReport.maxListed)))

        // Groups: the first maxGroups issuers apart, the rest in one group, last.
        let issGroups = report.groups.filter { $0.by == "iss" }
        #expect(issGroups.count == ScanSizeReport.maxGroups + 1)
        #expect(issGroups.last?.isOther == true)
        #expect(issGroups.last?.count == (0..<2_000).filter { $0 % issuers >= ScanSizeReport.maxGroups }.count)
        let iss0 = (0..<2_000).filter { $0 % issuers == 0 }.map { tokens[$0].utf8.count }
        let group0 = issGroups.first { $0.value == "iss0" }
        #expect(group0?.count == iss0.count)
        #expect(group0?.bytes.p95 == Self.nearestRank(iss0, 95))
        #expect(report.groups.filter { $0.by == "kid" }.map(\.count) == [667, 667, 666])

        // Claims: every token has iss, sub and pad; the costliest is pad.
        #expect(report.costliestClaims.first?.name == "pad")
        #expect(report.costliestClaims.map(\.tokens) == [2_000, 2_000, 2_000])
    }

    @Test("the accumulated report equals the one built from the array")
    func sameAsArray() {
        let findings = (0..<300).map { Self.finding(Self.token($0, issuers: 4), line: $0 + 1) }
        var accumulated = ScanSizeReport(budget: .nginx)
        for finding in findings { accumulated.add(finding) }
        let built = ScanSizeReport(findings: findings, budget: .nginx)
        #expect(accumulated.groups == built.groups)
        #expect(accumulated.bytes == built.bytes)
        #expect(accumulated.costliestClaims == built.costliestClaims)
    }

    @Test("percentiles of sizes follow the nearest-rank definition")
    func percentiles() {
        var state: UInt64 = 42
        for count in [1, 2, 3, 19, 20, 21, 99, 100, 101, 1_000] {
            let sizes = (0..<count).map { _ in
                state = state &* 6_364_136_223_846_793_005 &+ 1
                return Int(state >> 54)
            }
            let p = ScanSizeReport.Percentiles(sizes)
            #expect(p?.p50 == Self.nearestRank(sizes, 50), "count \(count)")
            #expect(p?.p95 == Self.nearestRank(sizes, 95), "count \(count)")
            #expect(p?.p99 == Self.nearestRank(sizes, 99), "count \(count)")
            #expect(p?.max == sizes.max())
        }
        #expect(ScanSizeReport.Percentiles([]) == nil)
    }
}
