import TokenKit

/// Consecutive inputs of a batch, read for one worker (`--jobs`): the lines' bytes in one
/// buffer, so that a block costs a read or a copy and a few buffers whatever its number of
/// lines, beside inputs already made (`Made`: an argument, an over-long line) that carry no
/// bytes.
struct LineBlock<Made: Sendable>: Sendable {
    /// One input as the worker sees it: a line's number and its bytes, or an input already made.
    enum Input {
        case line(number: Int, bytes: UnsafeBufferPointer<UInt8>)
        case made(Made)
    }

    private enum Entry: Sendable {
        case line(number: Int, bytes: Range<Int>)
        /// The input at this index of ``made``.
        case made(Int)
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []
    private var made: [Made] = []

    var count: Int { entries.count }
    var byteCount: Int { bytes.count }

    /// The most inputs in a block read a line at a time.
    private static var maxInputs: Int { 64 }
    /// The bytes of lines after which a block takes no more.
    private static var fullBytes: Int { 32 << 10 }

    /// Whether another input may join: a block ends at 64 inputs read a line at a time, or at
    /// about 32 KiB of lines.
    var hasRoom: Bool { entries.count < Self.maxInputs && bytes.count < Self.fullBytes }

    /// Appends line `number`, copying its bytes.
    mutating func appendLine(number: Int, bytes line: UnsafeBufferPointer<UInt8>) {
        reserveAtFirstInput()
        let start = bytes.count
        bytes.append(contentsOf: line)
        entries.append(.line(number: number, bytes: start..<bytes.count))
    }

    /// Appends the whole lines `stream` gives at once (``ByteInput/appendWholeLines(to:room:)``),
    /// numbered from `firstNumber`; a line over `maxBytes` (without its line break) becomes
    /// the input `tooLong` makes of it.
    ///
    /// - Returns: how many lines; 0 when no whole line came, for
    ///   ``ByteInput/withNextLine(maxBytes:_:)`` to read the next one.
    /// - Throws: what reading `stream` throws.
    mutating func appendWholeLines(
        from stream: ByteInput, firstNumber: Int, maxBytes: Int, tooLong: (Int, InputLineTooLong) -> Made
    ) throws -> Int {
        reserveAtFirstInput()
        let origin = bytes.count
        guard try stream.appendWholeLines(to: &bytes, room: Self.fullBytes - origin) > 0 else { return 0 }
        var lines = 0
        let text = bytes  // the storage shared, not copied: `entries` grows while it is read
        text.withUnsafeBufferPointer { text in
            var offset = origin
            while let lineEnd = ByteSearch.find(0x0A, in: text, offset..<text.count) {
                let contentEnd = lineEnd > offset && text[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
                let number = firstNumber + lines
                if contentEnd - offset > maxBytes {
                    append(tooLong(number, InputLineTooLong(length: contentEnd - offset, limit: maxBytes)))
                } else {
                    entries.append(.line(number: number, bytes: offset..<contentEnd))
                }
                lines += 1
                offset = lineEnd + 1
            }
        }
        return lines
    }

    /// Room for a full block and its first lines, reserved at its first input: whoever reads
    /// the block then fills it without growing the buffer nine times.
    private mutating func reserveAtFirstInput() {
        guard entries.isEmpty else { return }
        bytes.reserveCapacity(Self.fullBytes + (8 << 10))
        entries.reserveCapacity(Self.maxInputs)
    }

    /// Appends an input already made.
    mutating func append(_ input: Made) {
        entries.append(.made(made.count))
        made.append(input)
    }

    /// Calls `body` with the input at `offset` (0 for the block's first), its bytes lent in place.
    func withInput<Result>(at offset: Int, _ body: (Input) -> Result) -> Result {
        switch entries[offset] {
        case .made(let index):
            return body(.made(made[index]))
        case .line(let number, let range):
            return bytes.withUnsafeBufferPointer { body(.line(number: number, bytes: UnsafeBufferPointer(rebasing: $0[range]))) }
        }
    }
}
