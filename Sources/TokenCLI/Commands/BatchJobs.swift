import TokenKit

/// `--jobs N`: the batch driver of `verify` and `decode` (``OrderedBatch`` does the threads).
///
/// A command's work on one input is a function from the input to what it prints and its
/// status. With one job it runs on the real console, input after input, as a plain loop.
/// With more, each thread in turn reads lines into a block (``InputBlock``), works it (finds
/// each line's token, does the work, renders) against a console that records what is printed
/// (standard output and standard error interleaved), and writes out what each block printed,
/// in order, so the output is byte for byte that of one job. Reading and writing out (and
/// `serial`) run one at a time, on whichever thread's turn it is.
enum BatchJobs {
    /// The most jobs `--jobs` accepts.
    static let maximum = 256

    /// `--jobs N` (`-j N`): 1 when absent, the processors available for 0.
    ///
    /// - Throws: ``TokenError`` `invalid_value` for a value that is not a whole number from 0 to ``maximum``.
    static func count(_ arguments: ParsedArguments) throws -> Int {
        guard let text = arguments.value("jobs") else { return 1 }
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let value = Int(text), value <= maximum else {
            throw TokenError.invalidValue(
                "--jobs must be a whole number from 0 (one per processor) to \(maximum), not '\(UntrustedText.escaped(text))'")
        }
        return value == 0 ? ProcessorCount.available() : value
    }

    /// What one input did.
    struct Outcome: Sendable {
        /// Its exit status (the run's is the worst).
        var status: ExitStatus
        /// Whether it failed (for ``ScanHint``).
        var failed = false
        /// The version of shared state the work read (see `run`'s `version`).
        var version = 0
    }

    /// The work on a line of standard input as read (``run(jobs:inputs:console:version:hint:parallel:serial:line:)``).
    typealias LineWork = (_ number: Int, _ bytes: UnsafeBufferPointer<UInt8>, Console) -> Outcome?

    /// One input and its place among the inputs (0 for the first).
    struct Indexed: Sendable {
        var index: Int
        var input: TokenInputs.Numbered
    }

    /// Runs `serial` (one job) or `parallel` (several) on every input, in order.
    ///
    /// - Parameters:
    ///   - jobs: the number of threads.
    ///   - version: the version of the shared state that `parallel` reads; an input worked
    ///     with another version than the current one when its output is written is worked
    ///     again by `serial`, in order, and so is every input after it in its block.
    ///   - hint: notes every input and whether it failed.
    ///   - parallel: the work on one input on any thread, printing on the console it is
    ///     given, or `nil` when this input must be handled by `serial` in its turn (it may
    ///     change shared state, or end the run by throwing).
    ///   - serial: the work on one input in its turn, when the results before it are written
    ///     out and no other `serial` runs, printing on the real console.
    ///   - line: makes the work on a line of standard input as read, before its token is
    ///     looked for: a line the work returns `nil` for goes to `parallel` or `serial`. For a
    ///     fast path that takes only lines that are a bare token (never free text) and reads
    ///     no shared state that changes. Called once with one job, and by each thread for
    ///     each block with more, so that the work can read objects of its thread's own.
    /// - Returns: the worst status of all inputs.
    /// - Throws: what reading the inputs or `serial` throws, after the results before it.
    static func run(
        jobs: Int, inputs: inout TokenInputs, console: Console, version: () -> Int = { 0 }, hint: inout ScanHint,
        parallel: @escaping @Sendable (Indexed, Console) -> Outcome?,
        serial: (Indexed, Console) throws -> Outcome,
        line: (@Sendable () -> LineWork)? = nil
    ) throws -> ExitStatus {
        var status = ExitStatus.success
        /// Notes what one input did; `false` when standard output failed.
        func note(_ outcome: Outcome) -> Bool {
            if outcome.failed { hint.failed() }
            status = max(status, outcome.status)
            return !console.stdout.hasWriteFailure
        }
        /// Works one input in its turn, on the real console.
        func runSerial(_ input: TokenInputs.Numbered, index: Int) throws -> Bool {
            hint.note(input.item)
            return note(try serial(Indexed(index: index, input: input), console))
        }
        var index = 0  // of the next input read
        if jobs <= 1 {
            let lineWork = line?()
            while let read = try inputs.next(offering: { number, bytes in lineWork?(number, bytes, console) }) {
                defer { index += 1 }
                switch read {
                case .handled(let outcome):
                    hint.note(freeText: false)
                    if !note(outcome) { return status }
                case .input(let input):
                    if try !runSerial(input, index: index) { return status }
                }
            }
            return status
        }
        let terminal = (stdout: console.stdout.isTerminal, stderr: console.stderr.isTerminal)
        let environment = console.environment
        try OrderedBatch.run(
            jobs: jobs,
            next: { () throws -> InputBlock? in
                var block = InputBlock(firstIndex: index)
                while block.inputs.hasRoom {
                    if block.count > 0, !inputs.isReadyForMore { break }  // results before waiting for input
                    guard try inputs.appendNext(to: &block.inputs) else { break }
                }
                index += block.count
                return block.count == 0 ? nil : block
            },
            isReady: { inputs.isReadyForMore },
            work: { (block: InputBlock) -> BlockOutput in
                let recorder = Recorder(capacity: block.inputs.byteCount * 4)  // decode writes ~3 bytes a byte read
                let recording = Console(
                    stdin: BufferInput(), stdout: RecordingOutput(recorder, toStandardError: false, isTerminal: terminal.stdout),
                    stderr: RecordingOutput(recorder, toStandardError: true, isTerminal: terminal.stderr),
                    environment: environment)
                var done: [BlockOutput.Done] = []
                done.reserveCapacity(block.count)
                let lineWork = line?()
                for offset in 0..<block.count {
                    if let lineWork, let outcome = block.inputs.withInput(at: offset, { input -> Outcome? in
                        guard case .line(let number, let bytes) = input else { return nil }
                        return lineWork(number, bytes, recording)
                    }) {
                        done.append(BlockOutput.Done(outcome: outcome, freeText: false, end: recorder.bytes.count))
                        continue
                    }
                    let input = block.numbered(offset)
                    guard let outcome = parallel(Indexed(index: block.firstIndex + offset, input: input), recording) else { break }
                    done.append(BlockOutput.Done(
                        outcome: outcome, freeText: ScanHint.looksLikeFreeText(input.item), end: recorder.bytes.count))
                }
                return BlockOutput(bytes: recorder.bytes.bytes, switches: recorder.switches, done: done)
            },
            emit: { (block: InputBlock, output: BlockOutput) throws -> Bool in
                var written = 0
                for done in output.done {
                    guard done.outcome.version == version() else { break }
                    hint.note(freeText: done.freeText)
                    if done.outcome.failed { hint.failed() }
                    status = max(status, done.outcome.status)
                    written += 1
                }
                let end = written == 0 ? 0 : output.done[written - 1].end
                output.write(upTo: end, to: console)
                if console.stdout.hasWriteFailure { return false }
                // Inputs left to serial, and every one after them in the block.
                for offset in written..<block.count {
                    if try !runSerial(block.numbered(offset), index: block.firstIndex + offset) { return false }
                }
                return true
            })
        return status
    }

    /// The bytes printed by the work on a block, in order, and where the stream changes.
    private final class Recorder {
        var bytes: ByteWriter
        /// Offsets in ``bytes`` where the output goes from one stream to the other (it starts
        /// on standard output).
        var switches: [Int] = []
        var onStandardError = false

        init(capacity: Int) { bytes = ByteWriter(capacity: capacity) }

        func append(toStandardError: Bool, _ render: (inout ByteWriter) -> Void) {
            if toStandardError != onStandardError {
                switches.append(bytes.count)
                onStandardError = toStandardError
            }
            render(&bytes)
        }
    }

    /// One stream of a recording console.
    private final class RecordingOutput: TextOutput {
        private let recorder: Recorder
        private let toStandardError: Bool
        let isTerminal: Bool

        init(_ recorder: Recorder, toStandardError: Bool, isTerminal: Bool) {
            self.recorder = recorder
            self.toStandardError = toStandardError
            self.isTerminal = isTerminal
        }

        func write(_ text: String) { recorder.append(toStandardError: toStandardError) { $0.append(contentsOf: text) } }

        func write(rendering render: (inout ByteWriter) -> Void) { recorder.append(toStandardError: toStandardError, render) }
    }
}

/// The inputs one worker of `verify` or `decode` takes (``LineBlock``), and the place of the
/// first among all inputs; the worker finds each line's token (``numbered(_:)``).
struct InputBlock: Sendable {
    /// The place of the first input among all inputs.
    let firstIndex: Int
    /// The lines as read, and the inputs already made.
    var inputs = LineBlock<TokenInputs.Numbered>()

    init(firstIndex: Int) { self.firstIndex = firstIndex }

    var count: Int { inputs.count }

    /// The input at `offset` in the block, its token found.
    func numbered(_ offset: Int) -> TokenInputs.Numbered {
        inputs.withInput(at: offset) { input in
            switch input {
            case .made(let numbered): numbered
            case .line(let number, let bytes): TokenInputs.Numbered(line: number, item: TokenInputs.item(fromLine: bytes))
            }
        }
    }
}

/// What the work on a block printed, and each input's outcome.
struct BlockOutput: Sendable {
    /// One input worked.
    struct Done: Sendable {
        var outcome: BatchJobs.Outcome
        /// Whether its line looked like free text (for ``ScanHint``).
        var freeText: Bool
        /// The end of its output in ``bytes``.
        var end: Int
    }

    var bytes: [UInt8]
    var switches: [Int]
    /// The inputs worked, from the first: fewer than the block's when one was left to `serial`.
    var done: [Done]

    /// Writes the bytes before `end` to their streams, in order.
    func write(upTo end: Int, to console: Console) {
        var start = 0
        var toStandardError = false
        for boundary in switches + [end] {
            let stop = min(boundary, end)
            if stop > start {
                let stream = toStandardError ? console.stderr : console.stdout
                bytes.withUnsafeBufferPointer { stream.write(bytes: UnsafeBufferPointer(rebasing: $0[start..<stop])) }
            }
            if boundary >= end { return }
            start = boundary
            toStandardError.toggle()
        }
    }
}
