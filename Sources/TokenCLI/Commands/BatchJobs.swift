import TokenKit

/// `--jobs N`: the batch driver of `verify` and `decode` (``OrderedBatch`` does the threads).
///
/// A command's work on one input is a function from the input to what it prints and its
/// status. With one job it runs on the real console, input after input, as a plain loop.
/// With more, it runs on worker threads against a console that records what is printed (in
/// order, standard output and standard error interleaved); the calling thread writes each
/// record out in input order, so the output is byte for byte that of one job.
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

    /// One input and its place among the inputs (0 for the first).
    struct Indexed: Sendable {
        var index: Int
        var input: TokenInputs.Numbered
    }

    /// What the work on one input printed, and its outcome.
    struct Record: Sendable {
        /// Each write in order: `true` for standard error.
        var writes: [(toStandardError: Bool, text: String)] = []
        var outcome: Outcome
    }

    /// Runs `serial` (one job) or `parallel` (several) on every input, in order.
    ///
    /// - Parameters:
    ///   - jobs: the number of threads.
    ///   - version: the version of the shared state that `parallel` reads; a record made
    ///     from another version than the current one when it is written out is made again
    ///     by `serial`, in order.
    ///   - parallel: the work on one input on any thread, printing on the console it is
    ///     given, or `nil` when this input must be handled by `serial` on the calling thread
    ///     in its turn (it may change shared state, or end the run by throwing).
    ///   - serial: the work on one input on the calling thread, printing on the real console.
    ///   - each: takes every input's outcome, in order, on the calling thread.
    /// - Throws: what reading the inputs or `serial` throws, after the results before it.
    static func run(
        jobs: Int, inputs: inout TokenInputs, console: Console, version: () -> Int = { 0 },
        parallel: @escaping @Sendable (Indexed, Console) -> Outcome?,
        serial: (Indexed, Console) throws -> Outcome,
        each: (TokenInputs.Numbered, Outcome) -> Void
    ) throws {
        var index = 0
        if jobs <= 1 {
            while let input = try inputs.next() {
                defer { index += 1 }
                each(input, try serial(Indexed(index: index, input: input), console))
                if console.stdout.writeFailure != nil { break }
            }
            return
        }
        let terminal = (stdout: console.stdout.isTerminal, stderr: console.stderr.isTerminal)
        let environment = console.environment
        try OrderedBatch.run(
            jobs: jobs,
            next: { () throws -> Indexed? in
                guard let input = try inputs.next() else { return nil }
                defer { index += 1 }
                return Indexed(index: index, input: input)
            },
            isReady: { inputs.isReadyForMore },
            cost: { (item: Indexed) -> Int in
                switch item.input.item {
                case .success(let text): return text.utf8.count + 64
                case .failure: return 64
                }
            },
            work: { (item: Indexed) -> Record? in
                let recorder = Recorder()
                let recording = Console(
                    stdin: BufferInput(), stdout: RecordingOutput(recorder, toStandardError: false, isTerminal: terminal.stdout),
                    stderr: RecordingOutput(recorder, toStandardError: true, isTerminal: terminal.stderr),
                    environment: environment)
                guard let outcome = parallel(item, recording) else { return nil }
                return Record(writes: recorder.writes, outcome: outcome)
            },
            emit: { (item: Indexed, record: Record?) throws -> Bool in
                let outcome: Outcome
                if let record, record.outcome.version == version() {
                    for write in record.writes {
                        (write.toStandardError ? console.stderr : console.stdout).write(write.text)
                    }
                    outcome = record.outcome
                } else {
                    outcome = try serial(item, console)
                }
                each(item.input, outcome)
                return console.stdout.writeFailure == nil
            })
    }

    /// The writes of one input's work, in order.
    private final class Recorder {
        var writes: [(toStandardError: Bool, text: String)] = []
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

        func write(_ text: String) { recorder.writes.append((toStandardError, text)) }
    }
}
