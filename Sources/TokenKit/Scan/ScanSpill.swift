#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The disk half of a ``ScanCollector``: an unnamed temporary file holding sorted runs of
/// findings, and the merge of runs back into one sorted stream.
///
/// The file is created without a name where the system allows (`O_TMPFILE`), else created
/// with mode 0600 and unlinked at once, in `$TMPDIR` or `/tmp`: the credentials it holds
/// leave no file behind, even when the process is killed.
final class ScanSpill {
    /// A run of findings written in one go, sorted: a byte range of the file.
    struct Run {
        let start: Int
        let end: Int
    }

    /// An order of findings, compared where they lie: a finding passed by value to a
    /// comparison closure is copied first (its strings and places, with their reference
    /// counts), which took a fifth of a `verify --scan`.
    typealias Order = (UnsafePointer<ScanFinding>, UnsafePointer<ScanFinding>) -> Bool

    /// The directory the file is in: `$TMPDIR`, or `/tmp`.
    let directory: String
    private let fd: Int32
    private var size = 0
    /// Why the last write failed (an `errno` value); 0 while none has.
    private var writeErrno: Int32 = 0

    /// A new empty file, or `nil` when no temporary file can be made.
    init?() {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var fd: Int32 = -1
        #if os(Linux) && (arch(x86_64) || arch(arm64))
        // O_TMPFILE is a C macro Swift does not import: __O_TMPFILE (0o20000000 on these
        // architectures) with O_DIRECTORY.
        fd = open(directory, Int32(0o20_000_000) | O_DIRECTORY | O_RDWR | O_CLOEXEC, 0o600)
        #endif
        if fd < 0 {
            var template = Array("\(directory)/tokenctl-scan-XXXXXX".utf8CString)
            fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            if fd >= 0 { template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) } }
        }
        guard fd >= 0 else { return nil }
        self.fd = fd
        self.directory = directory
    }

    deinit { close(fd) }

    /// Writes `findings` as one run, in their order; `nil` when the write fails (the disk is
    /// full), and then the findings are still the caller's to keep.
    func write<S: Sequence<ScanFinding>>(_ findings: S) -> Run? {
        let start = size
        var out = SpillRecordWriter()
        var record = SpillRecordWriter()
        for finding in findings {
            record.bytes.removeAll(keepingCapacity: true)
            finding.appendRecord(to: &record)
            out.int(record.bytes.count)
            out.bytes += record.bytes
            if out.bytes.count >= Self.writeBytes {
                guard append(out.bytes) else { return nil }
                out.bytes.removeAll(keepingCapacity: true)
            }
        }
        guard append(out.bytes) else { return nil }
        return Run(start: start, end: size)
    }

    /// Calls `body` with the findings of `runs` merged into one stream ordered by `less`;
    /// equal findings come in the order of their runs. The runs' read buffers share about
    /// `bufferBytes` (at least 4 KiB a run).
    ///
    /// - Throws: ``TokenError/Code/inputUnreadable`` when the file cannot be read back, or
    ///   what `body` throws.
    func merge(
        _ runs: [Run], bufferBytes: Int, by less: @escaping Order,
        _ body: (ScanFinding) throws -> Void
    ) throws {
        let chunk = min(max(bufferBytes / max(runs.count, 1), 4096), 64 * 1024)
        var readers = runs.map { RunReader(file: self, run: $0, chunkBytes: chunk) }
        let heap = MergeHeap(runCount: readers.count, less: less)
        for index in readers.indices {
            if let first = try readers[index].next() { heap.push(first, run: index) }
        }
        while let (finding, run) = heap.pop() {
            try body(finding)
            if let next = try readers[run].next() { heap.push(next, run: run) }
        }
    }

    /// The error for a failed ``write(_:)``: what failed, where and why, and what to do.
    func writeFailure() -> TokenError {
        TokenError(
            .inputUnreadable,
            "cannot write the scan's temporary file in \(directory): \(String(cString: strerror(writeErrno)))"
                + " (set TMPDIR to a directory with room)")
    }

    /// The bytes a write gathers before it goes to the file.
    private static let writeBytes = 64 * 1024

    private func append(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress! + offset, $0.count - offset, off_t(size)) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else {
                writeErrno = written < 0 ? errno : ENOSPC
                return false
            }
            offset += written
            size += written
        }
        return true
    }

    /// Reads up to `buffer.count` bytes at `offset`.
    fileprivate func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = pread(fd, buffer.baseAddress!, buffer.count, off_t(offset))
            if count >= 0 { return count }
            if errno != EINTR {
                throw TokenError(
                    .inputUnreadable, "cannot read the scan's temporary file: \(String(cString: strerror(errno)))")
            }
        }
    }
}

/// Reads the findings of one run in order, a chunk at a time.
private struct RunReader {
    let file: ScanSpill
    var offset: Int
    let end: Int
    let chunkBytes: Int
    var buffer: [UInt8] = []
    var position = 0

    init(file: ScanSpill, run: ScanSpill.Run, chunkBytes: Int) {
        self.file = file
        offset = run.start
        end = run.end
        self.chunkBytes = chunkBytes
    }

    /// The next finding, or `nil` at the end of the run.
    mutating func next() throws -> ScanFinding? {
        guard let length = try recordLength() else { return nil }
        try fill(length)
        defer { position += length }
        return try buffer.withUnsafeBytes { raw in
            var reader = SpillRecordReader(UnsafeRawBufferPointer(rebasing: raw[position..<position + length]))
            return try ScanFinding(record: &reader)
        }
    }

    /// Reads the length prefix of the next record.
    private mutating func recordLength() throws -> Int? {
        if position == buffer.count, offset == end { return nil }
        try fill(min(10, buffer.count - position + end - offset))
        let (length, width) = try buffer.withUnsafeBytes { raw in
            var reader = SpillRecordReader(UnsafeRawBufferPointer(rebasing: raw[position...]))
            return (try reader.int(), reader.position)
        }
        position += width
        return length
    }

    /// Makes the buffer hold at least `count` unread bytes.
    private mutating func fill(_ count: Int) throws {
        guard buffer.count - position < count else { return }
        guard count <= buffer.count - position + end - offset else { throw SpillRecordReader.damaged }
        buffer.removeSubrange(..<position)
        position = 0
        // Up to one chunk in all (leftover included), so the buffer's capacity stays one chunk.
        let want = min(max(count, chunkBytes) - buffer.count, end - offset)
        let old = buffer.count
        buffer += repeatElement(0, count: want)
        var filled = 0
        while filled < want {
            let read = try buffer.withUnsafeMutableBytes { raw in
                try file.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: raw[(old + filled)..<(old + want)]))
            }
            guard read > 0 else { throw SpillRecordReader.damaged }
            filled += read
            offset += read
        }
    }
}

/// A binary min-heap of the next finding of each run; ties go to the earlier run.
/// The heads live in memory of its own, one slot a run, compared in place (``ScanSpill/Order``).
private final class MergeHeap {
    let less: ScanSpill.Order
    /// The finding at the head of each run, by run number; a slot is initialized while its
    /// run number is in ``runs``.
    private let heads: UnsafeMutablePointer<ScanFinding>
    /// The runs whose head is waiting, as a binary heap: moving a run number is cheaper
    /// than moving a finding.
    private var runs: [Int] = []

    init(runCount: Int, less: @escaping ScanSpill.Order) {
        self.less = less
        heads = .allocate(capacity: max(runCount, 1))
        runs.reserveCapacity(runCount)
    }

    deinit {
        for run in runs { (heads + run).deinitialize(count: 1) }
        heads.deallocate()
    }

    func push(_ finding: ScanFinding, run: Int) {
        (heads + run).initialize(to: finding)
        runs.append(run)
        var child = runs.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            guard precedes(runs[child], runs[parent]) else { break }
            runs.swapAt(child, parent)
            child = parent
        }
    }

    func pop() -> (ScanFinding, Int)? {
        guard !runs.isEmpty else { return nil }
        let top = runs[0]
        runs[0] = runs[runs.count - 1]
        runs.removeLast()
        var parent = 0
        while true {
            let left = 2 * parent + 1
            let right = left + 1
            var first = parent
            if left < runs.count, precedes(runs[left], runs[first]) { first = left }
            if right < runs.count, precedes(runs[right], runs[first]) { first = right }
            if first == parent { break }
            runs.swapAt(parent, first)
            parent = first
        }
        return ((heads + top).move(), top)
    }

    /// Whether run `a`'s head comes out before run `b`'s: the lesser, or on a tie the earlier run.
    private func precedes(_ a: Int, _ b: Int) -> Bool {
        if less(heads + a, heads + b) { return true }
        return a < b && !less(heads + b, heads + a)
    }
}
