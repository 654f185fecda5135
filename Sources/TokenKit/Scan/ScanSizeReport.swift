/// The size of the tokens real traffic carries (`inspect-size --scan`): the distribution of
/// the encoded sizes of the distinct JWTs a scan found, grouped by issuer, key id and
/// carrier, with the budget, the costliest claims and the largest tokens.
///
/// Each distinct token counts once, however often it was found. Percentiles are
/// nearest-rank: the p-th percentile of n sorted sizes is the one at rank ⌈p·n/100⌉.
///
/// The report is an accumulator: ``add(_:)`` takes the findings one at a time and keeps
/// counters, size histograms and bounded lists (the largest tokens, those over the budget
/// and the candidates that are not JWTs, up to a cap each), so that its memory does not grow
/// with the number of tokens.
public struct ScanSizeReport: Sendable {
    /// Nearest-rank percentiles of a set of sizes, in bytes.
    public struct Percentiles: Hashable, Sendable {
        public let p50: Int
        public let p95: Int
        public let p99: Int
        public let max: Int

        /// The percentiles of `sizes` (any order), or `nil` for none.
        public init?(_ sizes: [Int]) {
            var histogram = SizeHistogram()
            for size in sizes { histogram.add(size) }
            guard let percentiles = histogram.percentiles else { return nil }
            self = percentiles
        }

        init(p50: Int, p95: Int, p99: Int, max: Int) {
            self.p50 = p50
            self.p95 = p95
            self.p99 = p99
            self.max = max
        }
    }

    /// The tokens sharing an issuer, a key id or a carrier.
    public struct Group: Hashable, Sendable {
        /// `iss`, `kid` or `carrier`.
        public let by: String
        /// The shared value; `nil` for tokens without it (no `iss` claim, no `kid` header),
        /// and for the group of ``isOther`` values.
        public let value: String?
        /// Whether this group gathers the tokens whose value came after the first
        /// ``ScanSizeReport/maxGroups`` values of its grouping.
        public let isOther: Bool
        /// The number of distinct tokens.
        public let count: Int
        /// Their encoded sizes.
        public let bytes: Percentiles
        /// Their sizes in their carrier (header line or cookie), with a context.
        public let carriedBytes: Percentiles?
    }

    /// A claim's cost summed over the corpus.
    public struct ClaimTotal: Hashable, Sendable {
        /// The claim's name.
        public let name: String
        /// The bytes it costs, summed over the tokens that have it (``ClaimCost``).
        public let bytes: Int
        /// The number of tokens that have it.
        public let tokens: Int
    }

    /// One token measured.
    public struct Entry: Sendable {
        /// The finding.
        public let finding: ScanFinding
        /// The compact token's length.
        public let bytes: Int
        /// Its size in its carrier, with a context.
        public let carriedBytes: Int?
        /// Whether the size compared with the budget is over it.
        public let overBudget: Bool
        /// The `iss` claim, when it is a string.
        public let issuer: String?
        /// The `kid` header, when it is a string.
        public let keyID: String?
    }

    /// The number of distinct JWTs.
    public private(set) var count = 0
    /// The number of distinct candidates that are not JWTs (not sized).
    public private(set) var notJWTCount = 0
    /// The number of JWT occurrences (a token found three times counts three).
    public private(set) var occurrences = 0
    /// The budget.
    public let budget: SizeBudget
    /// The context: when set, carriers are measured and compared with the budget.
    public let context: SizeContext?
    /// The number of distinct tokens over the budget.
    public private(set) var overBudget = 0

    /// The most distinct values kept apart in each grouping; later values share one group.
    public static let maxGroups = 100
    /// The number of claims in ``costliestClaims``.
    public static let topClaims = 10
    /// The most distinct claim names whose cost is summed (the first found).
    public static let maxClaimNames = 1_000
    /// The number of tokens in ``largest``.
    public static let largestShown = 10
    /// The most tokens kept in ``overBudgetEntries`` and ``notJWTs``.
    public static let maxListed = 100

    private var sizes = SizeHistogram()
    private var carriedSizes = SizeHistogram()
    private var tallies = [GroupTally(by: "iss"), GroupTally(by: "kid"), GroupTally(by: "carrier")]
    private var claimBytes: [String: (bytes: Int, tokens: Int, order: Int)] = [:]
    private var largestEntries = LargestItems<Entry>(limit: largestShown)
    private var overBudgetLargest = LargestItems<Entry>(limit: maxListed)
    /// The first candidates that are not JWTs, in the order given, at most ``maxListed``.
    public private(set) var notJWTs: [ScanFinding] = []

    /// An empty report.
    ///
    /// - Parameters:
    ///   - budget: the size budget (`--budget`).
    ///   - context: with a context (`--context`), each token is also measured in the header
    ///     line or cookie that carries it (``ScanPlace/carriedBytes(tokenBytes:context:)``),
    ///     and that size is compared with the budget.
    public init(budget: SizeBudget, context: SizeContext? = nil) {
        self.budget = budget
        self.context = context
    }

    /// Measures the JWTs among `findings`: an empty report that ``add(_:)``s each.
    public init(findings: [ScanFinding], budget: SizeBudget, context: SizeContext? = nil) {
        self.init(budget: budget, context: context)
        for finding in findings { add(finding) }
    }

    /// Takes in one distinct candidate of a scan (``ScanCollector/forEachFinding(_:)``), in
    /// the order found.
    public mutating func add(_ finding: ScanFinding) {
        guard let token = finding.token else {
            notJWTCount += 1
            if notJWTs.count < Self.maxListed { notJWTs.append(finding) }
            return
        }
        count += 1
        occurrences += finding.count
        let bytes = token.text.utf8.count
        let carried = context.map { finding.place.carriedBytes(tokenBytes: bytes, context: $0) }
        let report = try? SizeReport(token: token)
        let entry = Entry(
            finding: finding, bytes: bytes, carriedBytes: carried, overBudget: (carried ?? bytes) > budget.bytes,
            issuer: report?.registeredClaim(.iss)?.value.stringValue, keyID: token.header["kid"]?.stringValue)
        sizes.add(bytes)
        if let carried { carriedSizes.add(carried) }
        tallies[0].add(entry.issuer, entry)
        tallies[1].add(entry.keyID, entry)
        tallies[2].add(finding.place.carrierGroup, entry)
        largestEntries.offer(entry, size: bytes)
        if entry.overBudget {
            overBudget += 1
            overBudgetLargest.offer(entry, size: bytes)
        }
        for cost in report?.claimCosts ?? [] {
            // A name already counted is found with one hash and updated in place.
            if let known = claimBytes.index(forKey: cost.name) {
                claimBytes.values[known].bytes += cost.bytes
                claimBytes.values[known].tokens += 1
            } else if claimBytes.count < Self.maxClaimNames {
                claimBytes[cost.name] = (cost.bytes, 1, claimBytes.count)
            }
        }
    }

    /// The percentiles of the encoded sizes; `nil` when no JWT was found.
    public var bytes: Percentiles? { sizes.percentiles }
    /// The percentiles of the carried sizes, with a context.
    public var carriedBytes: Percentiles? { context == nil ? nil : carriedSizes.percentiles }
    /// The groups by `iss`, then `kid`, then `carrier`; within each, largest count first
    /// (ties in order found), the group of other values last.
    public var groups: [Group] { tallies.flatMap { $0.groups(carried: context != nil) } }
    /// The claims that cost the most bytes over the corpus, most first (at most ``topClaims``).
    public var costliestClaims: [ClaimTotal] {
        claimBytes.sorted {
            $0.value.bytes != $1.value.bytes ? $0.value.bytes > $1.value.bytes : $0.value.order < $1.value.order
        }.prefix(Self.topClaims).map { ClaimTotal(name: $0.key, bytes: $0.value.bytes, tokens: $0.value.tokens) }
    }
    /// The largest tokens, largest first (ties in order found), at most ``largestShown``.
    public var largest: [Entry] { largestEntries.items }
    /// The largest tokens over the budget, largest first (ties in order found), at most
    /// ``maxListed``; ``overBudget`` counts them all.
    public var overBudgetEntries: [Entry] { overBudgetLargest.items }

    /// A histogram of the encoded sizes: counts of tokens up to 256, 512, 1024, 2048, 4096,
    /// 8192 bytes and above (`upTo` is `nil` for the last bucket).
    public var histogram: [(upTo: Int?, count: Int)] {
        let bounds = [256, 512, 1024, 2048, 4096, 8192]
        return sizes.buckets(bounds).enumerated().map { (index, count) in
            (index < bounds.count ? bounds[index] : nil, count)
        }
    }
}

/// The groups of one grouping (`iss`, `kid` or `carrier`): a count and size histograms per
/// value, for the first ``ScanSizeReport/maxGroups`` values, and one group for the rest.
private struct GroupTally: Sendable {
    struct Tally: Sendable {
        let value: String?
        var count = 0
        var sizes = SizeHistogram()
        var carriedSizes = SizeHistogram()

        mutating func add(_ entry: ScanSizeReport.Entry) {
            count += 1
            sizes.add(entry.bytes)
            if let carried = entry.carriedBytes { carriedSizes.add(carried) }
        }

        func group(by: String, isOther: Bool, carried: Bool) -> ScanSizeReport.Group {
            ScanSizeReport.Group(
                by: by, value: value, isOther: isOther, count: count, bytes: sizes.percentiles!,
                carriedBytes: carried ? carriedSizes.percentiles : nil)
        }
    }

    let by: String
    private var tallies: [Tally] = []
    private var index: [String?: Int] = [:]
    private var other = Tally(value: nil)

    init(by: String) { self.by = by }

    mutating func add(_ value: String?, _ entry: ScanSizeReport.Entry) {
        if let at = index[value] {
            tallies[at].add(entry)
        } else if tallies.count < ScanSizeReport.maxGroups {
            index[value] = tallies.count
            tallies.append(Tally(value: value))
            tallies[tallies.count - 1].add(entry)
        } else {
            other.add(entry)
        }
    }

    func groups(carried: Bool) -> [ScanSizeReport.Group] {
        var result = tallies.enumerated().sorted {
            $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
        }.map { $0.element.group(by: by, isOther: false, carried: carried) }
        if other.count > 0 { result.append(other.group(by: by, isOther: true, carried: carried)) }
        return result
    }
}
