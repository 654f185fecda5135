import TokenKit

/// A block's lines as sized: each line's ``SizedInput``, and in `--format json` their JSON
/// lines one after another in one buffer.
struct SizedBlock: Sendable {
    private var inputs: [SizedInput] = []
    private var json: [UInt8] = []
    /// Where each input's JSON line ends in ``json``.
    private var ends: [Int] = []

    /// An empty block with room for `inputCount` inputs and `jsonBytes` of their JSON lines
    /// (grown from empty, the inputs were copied at each doubling, ~1 % of a batch).
    init(reservingInputs inputCount: Int, jsonBytes: Int) {
        inputs.reserveCapacity(inputCount)
        ends.reserveCapacity(inputCount)
        json.reserveCapacity(jsonBytes)
    }

    /// Appends `check`, the input at `position` among the arguments, as the report takes it;
    /// its JSON line is rendered into `scratch` (emptied first, reused from line to line),
    /// then copied into the block.
    mutating func append(_ check: consuming SizeCheck, position: Int, options: InspectSizeCommand.Options, scratch: inout ByteWriter) {
        scratch.removeAll()
        inputs.append(options.sized(check, position: position, json: &scratch))
        scratch.withBytes { json.append(contentsOf: $0) }
        ends.append(json.count)
    }

    /// Calls `body` with each input and its JSON line, in order.
    func forEach(_ body: (SizedInput, UnsafeBufferPointer<UInt8>) -> Void) {
        json.withUnsafeBufferPointer { json in
            var start = 0
            for (input, end) in zip(inputs, ends) {
                body(input, UnsafeBufferPointer(rebasing: json[start..<end]))
                start = end
            }
        }
    }
}
