/// Consecutive inputs of a batch read by the calling thread for one worker (`--jobs`): the
/// lines' bytes in one buffer, so that a block costs the reading thread a copy and two
/// buffers whatever its number of lines, beside inputs already made (`Made`: an argument,
/// an over-long line) that carry no bytes.
struct LineBlock<Made: Sendable>: Sendable {
    /// One input as the worker sees it: a line's number and its bytes, or an input already made.
    enum Input {
        case line(number: Int, bytes: UnsafeBufferPointer<UInt8>)
        case made(Made)
    }

    private enum Entry: Sendable {
        case line(number: Int, bytes: Range<Int>)
        case made(Made)
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    var count: Int { entries.count }
    var byteCount: Int { bytes.count }

    /// The most inputs in a block.
    private static var maxInputs: Int { 64 }
    /// The bytes of lines after which a block takes no more.
    private static var fullBytes: Int { 16 << 10 }

    /// Whether another input may join: a block ends at 64 inputs or about 16 KiB of lines.
    var hasRoom: Bool { entries.count < Self.maxInputs && bytes.count < Self.fullBytes }

    /// Appends line `number`, copying its bytes.
    mutating func appendLine(number: Int, bytes line: UnsafeBufferPointer<UInt8>) {
        // Room for a full block reserved at its first line, with 8 KiB for the line that fills
        // it: the reading thread, which the other threads wait on, then copies each line once
        // instead of growing the buffer nine times a block.
        if entries.isEmpty {
            bytes.reserveCapacity(Self.fullBytes + max(8 << 10, line.count))
            entries.reserveCapacity(Self.maxInputs)
        }
        let start = bytes.count
        bytes.append(contentsOf: line)
        entries.append(.line(number: number, bytes: start..<bytes.count))
    }

    /// Appends an input already made.
    mutating func append(_ made: Made) {
        entries.append(.made(made))
    }

    /// Calls `body` with the input at `offset` (0 for the block's first), its bytes lent in place.
    func withInput<Result>(at offset: Int, _ body: (Input) -> Result) -> Result {
        switch entries[offset] {
        case .made(let made):
            return body(.made(made))
        case .line(let number, let range):
            return bytes.withUnsafeBufferPointer { body(.line(number: number, bytes: UnsafeBufferPointer(rebasing: $0[range]))) }
        }
    }
}
