#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Gathers the occurrences of a scan into distinct findings, in order of first appearance:
/// the same token found many times is one finding with a count.
///
/// Memory stays under about ``memoryBytes`` whatever the number of distinct tokens: when the
/// findings held grow past it, they are written, sorted by text, as a run to an unnamed
/// temporary file (``ScanSpill``), and ``forEachFinding(_:)`` merges the runs back (the
/// same token in several runs becomes one finding) and puts them in order of first
/// appearance with a second sort on disk. A scan that fits in memory never touches the disk;
/// when no temporary file can be written, the findings stay in memory.
///
/// ```swift
/// var collector = ScanCollector()
/// scanner.feed(chunk) { collector.add($0) }
/// try collector.forEachFinding { finding in print(finding.fingerprint, finding.count) }
/// ```
public struct ScanCollector {
    /// The number of occurrences added.
    public private(set) var occurrences = 0
    /// About how much memory the findings held may take before they go to disk.
    public let memoryBytes: Int
    /// The memory bound by default: 2 MiB, so that a scan of a million distinct tokens stays
    /// under 16 MB of peak RSS.
    public static let defaultMemoryBytes = 2 << 20

    private let maxTokenBytes: Int
    private var held: [ScanFinding] = []
    private var index: [String: Int] = [:]
    private var heldBytes = 0
    private var spill: ScanSpill?
    private var runs: [ScanSpill.Run] = []
    private var spillFailed = false

    /// Creates an empty collector.
    ///
    /// - Parameters:
    ///   - maxTokenBytes: a longer candidate is not a JWT.
    ///   - memoryBytes: about how much memory findings may take before they go to disk.
    public init(maxTokenBytes: Int = CompactToken.defaultMaxBytes, memoryBytes: Int = defaultMemoryBytes) {
        self.maxTokenBytes = maxTokenBytes
        self.memoryBytes = memoryBytes
    }

    /// Adds one occurrence.
    public mutating func add(_ occurrence: ScanOccurrence) {
        defer { occurrences += 1 }
        // One hash of the text: the entry is looked up, and made for a new text, in one access.
        let next = held.count
        let existing = Self.existingPosition(&index[occurrence.text, default: next], next: next)
        if let existing {
            let before = held[existing].places.count
            held[existing].add(occurrence.place)
            heldBytes += (held[existing].places.count - before) * Self.placeBytes
            return
        }
        let finding = ScanFinding(occurrence, maxTokenBytes: maxTokenBytes, firstOccurrence: occurrences)
        held.append(finding)
        heldBytes += Self.estimatedBytes(finding)
        if heldBytes > memoryBytes { spillHeld() }
    }

    /// The position in ``held`` that an index entry holds, or `nil` when the entry was just
    /// made: it then holds `next`, one past every held finding.
    private static func existingPosition(_ entry: inout Int, next: Int) -> Int? { entry == next ? nil : entry }

    /// Calls `body` with each distinct finding, in order of first appearance.
    ///
    /// - Throws: ``TokenError/Code/inputUnreadable`` when the temporary file cannot be written
    ///   or read back, or what `body` throws.
    public func forEachFinding(_ body: (ScanFinding) throws -> Void) throws {
        guard let spill, !runs.isEmpty else {
            for finding in held { try body(finding) }
            return
        }
        var textRuns = runs
        if !held.isEmpty { textRuns.append(try Self.write(Self.sorted(held, by: Self.byText), to: spill)) }
        var ordered: [ScanFinding] = []
        var orderedBytes = 0
        var orderedRuns: [ScanSpill.Run] = []
        // The merges' read buffers take half the memory, the findings being ordered the other.
        let half = memoryBytes / 2
        func keep(_ finding: ScanFinding) throws {
            ordered.append(finding)
            orderedBytes += Self.estimatedBytes(finding)
            guard orderedBytes > half else { return }
            orderedRuns.append(try Self.write(Self.sorted(ordered, by: Self.byFirstAppearance), to: spill))
            ordered = []
            orderedBytes = 0
        }
        var pending: ScanFinding?
        try spill.merge(textRuns, bufferBytes: half, by: Self.byText) { finding in
            // The stream is sorted: a finding not after the pending one has its text.
            if let earlier = pending, !Self.textPrecedes(earlier.text, finding.text) {
                pending?.absorb(finding)
                return
            }
            if let done = pending { try keep(done) }
            pending = finding
        }
        if let done = pending { try keep(done) }
        ordered = Array(Self.sorted(ordered, by: Self.byFirstAppearance))
        guard !orderedRuns.isEmpty else {
            for finding in ordered { try body(finding) }
            return
        }
        if !ordered.isEmpty { orderedRuns.append(try Self.write(ordered, to: spill)) }
        try spill.merge(orderedRuns, bufferBytes: half, by: Self.byFirstAppearance, body)
    }

    /// Writes the findings held as a run and lets them go; on failure (no temporary
    /// directory, a full disk) keeps them, and stops trying.
    private mutating func spillHeld() {
        guard !spillFailed else { return }
        if spill == nil { spill = ScanSpill() }
        guard let spill, let run = spill.write(Self.sorted(held, by: Self.byText)) else {
            spillFailed = true
            return
        }
        runs.append(run)
        // Emptied with their room kept: the next run fills them as far, and a dictionary
        // grown from empty again rehashed its keys at every doubling.
        held.removeAll(keepingCapacity: true)
        index.removeAll(keepingCapacity: true)
        heldBytes = 0
    }

    /// `findings` in the order `less` gives, equal ones as they were: the positions are
    /// sorted, which moves integers instead of findings.
    private static func sorted(
        _ findings: [ScanFinding], by less: ScanSpill.Order
    ) -> LazyMapSequence<[Int], ScanFinding> {
        let order = findings.withUnsafeBufferPointer { buffer in
            buffer.indices.sorted { less(buffer.baseAddress! + $0, buffer.baseAddress! + $1) }
        }
        return order.lazy.map { findings[$0] }
    }

    private static func write(_ findings: some Sequence<ScanFinding>, to spill: ScanSpill) throws -> ScanSpill.Run {
        guard let run = spill.write(findings) else { throw spill.writeFailure() }
        return run
    }

    /// Findings in the byte order of their texts (``textPrecedes(_:_:)``).
    private static func byText(_ a: UnsafePointer<ScanFinding>, _ b: UnsafePointer<ScanFinding>) -> Bool {
        textPrecedes(a.pointee.text, b.pointee.text)
    }

    /// Byte order of two texts: `memcmp` on their UTF-8 storage (tokens share long prefixes,
    /// and a generic comparison of two `UTF8View`s costs several times as much).
    private static func textPrecedes(_ a: String, _ b: String) -> Bool {
        let ordered = a.utf8.withContiguousStorageIfAvailable { x in
            b.utf8.withContiguousStorageIfAvailable { y in
                guard let left = x.baseAddress, let right = y.baseAddress else { return x.count < y.count }
                let common = memcmp(left, right, min(x.count, y.count))
                return common != 0 ? common < 0 : x.count < y.count
            }
        }
        return (ordered ?? nil) ?? a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    private static func byFirstAppearance(_ a: UnsafePointer<ScanFinding>, _ b: UnsafePointer<ScanFinding>) -> Bool {
        a.pointee.firstOccurrence < b.pointee.firstOccurrence
    }

    /// The memory a place takes in a finding, about.
    private static let placeBytes = 160

    /// The memory a finding takes, with its index entry, about.
    private static func estimatedBytes(_ finding: ScanFinding) -> Int {
        256 + finding.text.utf8.count + finding.places.count * placeBytes
    }
}
