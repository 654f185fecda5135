/// How many times each size occurred: enough for exact percentiles in memory bounded by the
/// number of distinct sizes (at most the token size bound), not the number of tokens.
struct SizeHistogram: Sendable {
    private var counts: [Int: Int] = [:]
    /// The number of sizes counted.
    private(set) var total = 0

    /// Counts one size.
    mutating func add(_ size: Int) {
        counts[size, default: 0] += 1
        total += 1
    }

    /// The nearest-rank percentiles of the sizes counted, or `nil` for none.
    var percentiles: ScanSizeReport.Percentiles? {
        guard total > 0 else { return nil }
        let sizes = counts.keys.sorted()
        /// The size at 1-based rank `rank` of the sorted sizes.
        func size(atRank rank: Int) -> Int {
            var seen = 0
            for size in sizes {
                seen += counts[size]!
                if seen >= rank { return size }
            }
            return sizes[sizes.count - 1]
        }
        func rank(_ percent: Int) -> Int { max((percent * total + 99) / 100, 1) }
        return ScanSizeReport.Percentiles(
            p50: size(atRank: rank(50)), p95: size(atRank: rank(95)), p99: size(atRank: rank(99)),
            max: sizes[sizes.count - 1])
    }

    /// The number of sizes counted in each bucket: up to `bounds[0]`, up to `bounds[1]`, …,
    /// and above the last bound.
    func buckets(_ bounds: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: bounds.count + 1)
        for (size, count) in counts {
            result[bounds.firstIndex(where: { size <= $0 }) ?? bounds.count] += count
        }
        return result
    }
}

/// The `limit` largest items offered, largest first, ties in the order offered: memory
/// bounded by `limit` however many are offered.
struct LargestItems<Item: Sendable>: Sendable {
    let limit: Int
    private var kept: [(size: Int, order: Int, item: Item)] = []
    private var offered = 0

    init(limit: Int) { self.limit = limit }

    /// Offers an item of the given size; it is kept when it is among the largest so far.
    mutating func offer(_ item: Item, size: Int) {
        defer { offered += 1 }
        if kept.count == limit {
            // The last kept is the smallest, and among equals the latest: a later equal loses.
            guard limit > 0, size > kept[kept.count - 1].size else { return }
            kept.removeLast()
        }
        let index = kept.firstIndex { $0.size < size } ?? kept.count
        kept.insert((size, offered, item), at: index)
    }

    /// The items kept, largest first.
    var items: [Item] { kept.map(\.item) }
}
