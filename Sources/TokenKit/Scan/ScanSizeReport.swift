/// The size of the tokens real traffic carries (`inspect-size --scan`): the distribution of
/// the encoded sizes of the distinct JWTs a scan found, grouped by issuer, key id and
/// carrier, with the budget, the costliest claims and the largest tokens.
///
/// Each distinct token counts once, however often it was found. Percentiles are
/// nearest-rank: the p-th percentile of n sorted sizes is the one at rank ⌈p·n/100⌉.
public struct ScanSizeReport: Sendable {
    /// Nearest-rank percentiles of a set of sizes, in bytes.
    public struct Percentiles: Hashable, Sendable {
        public let p50: Int
        public let p95: Int
        public let p99: Int
        public let max: Int

        /// The percentiles of `sizes` (any order), or `nil` for none.
        public init?(_ sizes: [Int]) {
            guard !sizes.isEmpty else { return nil }
            let sorted = sizes.sorted()
            func rank(_ percent: Int) -> Int { sorted[Swift.max((percent * sorted.count + 99) / 100, 1) - 1] }
            p50 = rank(50)
            p95 = rank(95)
            p99 = rank(99)
            max = sorted[sorted.count - 1]
        }
    }

    /// The tokens sharing an issuer, a key id or a carrier.
    public struct Group: Hashable, Sendable {
        /// `iss`, `kid` or `carrier`.
        public let by: String
        /// The shared value; `nil` for tokens without it (no `iss` claim, no `kid` header).
        public let value: String?
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
    public let count: Int
    /// The number of distinct candidates that are not JWTs (not sized).
    public let notJWTCount: Int
    /// The number of JWT occurrences (a token found three times counts three).
    public let occurrences: Int
    /// The budget.
    public let budget: SizeBudget
    /// The context: when set, carriers are measured and compared with the budget.
    public let context: SizeContext?
    /// The number of distinct tokens over the budget.
    public let overBudget: Int
    /// The percentiles of the encoded sizes; `nil` when no JWT was found.
    public let bytes: Percentiles?
    /// The percentiles of the carried sizes, with a context.
    public let carriedBytes: Percentiles?
    /// The groups by `iss`, then `kid`, then `carrier`; within each, largest count first.
    public let groups: [Group]
    /// The claims that cost the most bytes over the corpus, most first (at most ``topClaims``).
    public let costliestClaims: [ClaimTotal]
    /// Every token measured, largest first (ties in order found).
    public let entries: [Entry]

    /// The number of claims in ``costliestClaims``.
    public static let topClaims = 10

    /// Measures the JWTs among `findings`.
    ///
    /// - Parameters:
    ///   - findings: a scan's distinct candidates (``ScanCollector/findings``).
    ///   - budget: the size budget (`--budget`).
    ///   - context: with a context (`--context`), each token is also measured in the header
    ///     line or cookie that carries it (``ScanPlace/carriedBytes(tokenBytes:context:)``),
    ///     and that size is compared with the budget.
    public init(findings: [ScanFinding], budget: SizeBudget, context: SizeContext? = nil) {
        var entries: [Entry] = []
        var claimBytes: [String: (bytes: Int, tokens: Int, order: Int)] = [:]
        var occurrences = 0
        for finding in findings {
            guard let token = finding.token else { continue }
            occurrences += finding.count
            let bytes = token.text.utf8.count
            let carried = context.map { finding.place.carriedBytes(tokenBytes: bytes, context: $0) }
            let report = try? SizeReport(token: token)
            entries.append(Entry(
                finding: finding, bytes: bytes, carriedBytes: carried, overBudget: (carried ?? bytes) > budget.bytes,
                issuer: report?.claims["iss"]?.stringValue, keyID: token.header["kid"]?.stringValue))
            if let report {
                for cost in report.claimCosts {
                    let old = claimBytes[cost.name] ?? (0, 0, claimBytes.count)
                    claimBytes[cost.name] = (old.bytes + cost.bytes, old.tokens + 1, old.order)
                }
            }
        }
        self.count = entries.count
        self.notJWTCount = findings.count - entries.count
        self.occurrences = occurrences
        self.budget = budget
        self.context = context
        self.overBudget = entries.filter(\.overBudget).count
        self.bytes = Percentiles(entries.map(\.bytes))
        self.carriedBytes = context == nil ? nil : Percentiles(entries.compactMap(\.carriedBytes))
        var groups: [Group] = []
        let keys: [(String, (Entry) -> String?)] = [
            ("iss", \.issuer),
            ("kid", \.keyID),
            ("carrier", { $0.finding.place.carrierGroup }),
        ]
        for (by, key) in keys {
            var order: [String?] = []
            var members: [String?: [Entry]] = [:]
            for entry in entries {
                let value = key(entry)
                if members[value] == nil { order.append(value) }
                members[value, default: []].append(entry)
            }
            let built = order.map { value in
                let group = members[value]!
                return Group(
                    by: by, value: value, count: group.count, bytes: Percentiles(group.map(\.bytes))!,
                    carriedBytes: context == nil ? nil : Percentiles(group.compactMap(\.carriedBytes)))
            }
            groups += built.enumerated().sorted {
                $0.element.count != $1.element.count ? $0.element.count > $1.element.count : $0.offset < $1.offset
            }.map(\.element)
        }
        self.groups = groups
        self.costliestClaims = claimBytes.sorted {
            $0.value.bytes != $1.value.bytes ? $0.value.bytes > $1.value.bytes : $0.value.order < $1.value.order
        }.prefix(Self.topClaims).map { ClaimTotal(name: $0.key, bytes: $0.value.bytes, tokens: $0.value.tokens) }
        self.entries = entries.enumerated().sorted {
            $0.element.bytes != $1.element.bytes ? $0.element.bytes > $1.element.bytes : $0.offset < $1.offset
        }.map(\.element)
    }

    /// A histogram of the encoded sizes: counts of tokens up to 256, 512, 1024, 2048, 4096,
    /// 8192 bytes and above (`upTo` is `nil` for the last bucket).
    public var histogram: [(upTo: Int?, count: Int)] {
        let bounds = [256, 512, 1024, 2048, 4096, 8192]
        var counts = [Int](repeating: 0, count: bounds.count + 1)
        for entry in entries {
            counts[bounds.firstIndex(where: { entry.bytes <= $0 }) ?? bounds.count] += 1
        }
        return counts.enumerated().map { (index, count) in (index < bounds.count ? bounds[index] : nil, count) }
    }
}
