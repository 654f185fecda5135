import TokenKit

/// Consecutive lines of a stream read for one worker: their bytes in one buffer, so that a
/// block costs the reading thread a copy and two buffers whatever its number of lines.
struct LineBlock: Sendable {
    /// The most lines in a block.
    static let maxLines = 64
    /// About the most line bytes in a block.
    static let maxBytes = 16 << 10

    private enum Entry: Sendable {
        case line(number: Int, bytes: Range<Int>)
        case tooLong(number: Int, InputLineTooLong)
    }

    private var bytes: [UInt8] = []
    private var entries: [Entry] = []

    var count: Int { entries.count }
    var byteCount: Int { bytes.count }

    /// Appends line `number`, copying its bytes.
    mutating func append(number: Int, line: UnsafeBufferPointer<UInt8>) {
        let start = bytes.count
        bytes.append(contentsOf: line)
        entries.append(.line(number: number, bytes: start..<bytes.count))
    }

    /// Appends line `number`, which was over the bound and skipped.
    mutating func append(number: Int, tooLong: InputLineTooLong) {
        entries.append(.tooLong(number: number, tooLong))
    }

    /// Calls `body` with each line's number and its bytes (or why it was skipped), in order.
    func forEachLine(_ body: (Int, Result<UnsafeBufferPointer<UInt8>, InputLineTooLong>) -> Void) {
        bytes.withUnsafeBufferPointer { all in
            for entry in entries {
                switch entry {
                case .line(let number, let range): body(number, .success(UnsafeBufferPointer(rebasing: all[range])))
                case .tooLong(let number, let error): body(number, .failure(error))
                }
            }
        }
    }
}

/// A block's lines as sized: each line's ``SizedInput``, and in `--format json` their JSON
/// lines one after another in one buffer.
struct SizedBlock: Sendable {
    private var inputs: [SizedInput] = []
    private var json: [UInt8] = []
    /// Where each input's JSON line ends in ``json``.
    private var ends: [Int] = []

    /// An empty block with room for `jsonBytes` of JSON lines.
    init(reservingJSONBytes jsonBytes: Int) {
        json.reserveCapacity(jsonBytes)
    }

    /// Appends `check`, the input at `position` among the arguments, as the report takes it.
    mutating func append(_ check: SizeCheck, position: Int, options: InspectSizeCommand.Options) {
        inputs.append(options.sized(check, position: position, json: &json))
        ends.append(json.count)
    }

    /// Calls `body` with each input and its JSON line, in order.
    func forEach(_ body: (SizedInput, ArraySlice<UInt8>) -> Void) {
        var start = 0
        for (input, end) in zip(inputs, ends) {
            body(input, json[start..<end])
            start = end
        }
    }
}
