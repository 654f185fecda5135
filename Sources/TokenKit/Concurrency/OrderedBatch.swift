internal import COpenSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Works a stream of inputs on several threads and hands every result back in input order,
/// in bounded memory (`--jobs N` of the batch commands).
///
/// The calling thread reads inputs in chunks (at most ``chunkInputs`` inputs and about
/// ``chunkBytes`` bytes), lets ``WorkerPool`` threads and itself work a chunk, and while they
/// do, emits the previous chunk's results in order and reads the next chunk. So at most three
/// chunks are alive at a time, whatever the length of the input. Reading and emitting stay
/// on the calling thread: only `work` runs elsewhere, and it must touch no unsynchronised
/// shared state.
///
/// With one job no thread is started: each input is worked and emitted in turn, exactly as a
/// plain loop would.
public enum OrderedBatch {
    /// The most inputs in one chunk.
    public static let chunkInputs = 1024
    /// About the most input bytes (by `cost`) in one chunk.
    public static let chunkBytes = 512 << 10

    /// Works every input and emits each result in input order.
    ///
    /// - Parameters:
    ///   - jobs: how many threads work (the calling thread included); 1 or less starts none.
    ///   - next: the next input, or `nil` at the end; called on the calling thread only. An
    ///     error it throws is rethrown after every input read before it has been emitted.
    ///   - isReady: whether `next` can return an input without waiting (a pipe with nothing
    ///     in it is not ready). A chunk ends early rather than wait, so a result is emitted
    ///     before the process blocks on input that has not arrived yet.
    ///   - cost: the size of an input in bytes, to bound a chunk's memory.
    ///   - work: the work on one input; may run on any thread.
    ///   - emit: takes one input and its result, on the calling thread, in input order;
    ///     returns `false` to stop (no later result is emitted).
    /// - Throws: what `next` or `emit` throws; nothing is emitted after it.
    public static func run<Input: Sendable, Output: Sendable>(
        jobs: Int,
        next: () throws -> Input?,
        isReady: () -> Bool = { true },
        cost: (Input) -> Int = { _ in 1 },
        work: @escaping @Sendable (Input) -> Output,
        emit: (Input, Output) throws -> Bool
    ) throws {
        if jobs <= 1 {
            while let input = try next() {
                if try !emit(input, work(input)) { return }
            }
            return
        }
        CTokenShim_keep_freed_memory()  // results cross threads: see COpenSSL.h
        let pool = WorkerPool<Input, Output>(helpers: jobs - 1, work: work)
        defer { pool.stop() }
        var exhausted = false
        var readError: (any Error)?

        /// Reads a chunk; without `blocking`, only when input is ready.
        func readChunk(blocking: Bool) -> Chunk<Input, Output>? {
            if exhausted || (!blocking && !isReady()) { return nil }
            var inputs: [Input] = []
            var bytes = 0
            while inputs.count < chunkInputs, bytes < chunkBytes {
                if !inputs.isEmpty, !isReady() { break }
                do {
                    guard let input = try next() else {
                        exhausted = true
                        break
                    }
                    bytes += cost(input)
                    inputs.append(input)
                } catch {
                    readError = error
                    exhausted = true
                    break
                }
            }
            return inputs.isEmpty ? nil : Chunk(inputs, jobs: jobs)
        }

        var previous: Chunk<Input, Output>?
        var following: Chunk<Input, Output>?
        while true {
            var chunk = following
            following = nil
            if chunk == nil {
                // Nothing read ahead: emit what is done before waiting for more input.
                if let done = previous {
                    previous = nil
                    if try !done.drain(emit) { return }
                }
                chunk = readChunk(blocking: true)
            }
            guard let chunk else { break }
            pool.start(chunk)
            if let done = previous {
                previous = nil
                let goOn: Bool
                do {
                    goOn = try done.drain(emit)
                } catch {
                    pool.finish(chunk)
                    throw error
                }
                if !goOn {
                    pool.finish(chunk)
                    return
                }
            }
            following = readChunk(blocking: false)
            pool.finish(chunk)
            previous = chunk
        }
        if let done = previous, try !done.drain(emit) { return }
        if let readError { throw readError }
    }
}

/// A chunk of inputs and the slots for their results. Threads claim inputs a few at a time
/// through ``cursor``; each result slot is written by the one thread that claimed it, and
/// read by the emitting thread only after ``completed`` says every slot is written.
final class Chunk<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    let inputs: [Input]
    private let outputs: UnsafeMutableBufferPointer<Output?>
    /// The next input not yet claimed.
    private let cursor = Atomic<Int>(0)
    /// How many results are written.
    private let completed = Atomic<Int>(0)
    /// Inputs claimed at a time: few, so that the threads finish a chunk at nearly the same
    /// time (an atomic add costs far less than verifying one token).
    private let grain: Int

    var count: Int { inputs.count }
    var isComplete: Bool { completed.load(ordering: .acquiring) == inputs.count }

    init(_ inputs: [Input], jobs: Int) {
        self.inputs = inputs
        outputs = .allocate(capacity: inputs.count)
        outputs.initialize(repeating: nil)
        grain = max(1, min(8, inputs.count / (jobs * 16)))
    }

    deinit {
        outputs.deinitialize()
        outputs.deallocate()
    }

    /// Works unclaimed inputs until none is left.
    ///
    /// - Returns: whether this call wrote the chunk's last result.
    func help(_ work: (Input) -> Output) -> Bool {
        var finishedIt = false
        while true {
            let start = cursor.wrappingAdd(grain, ordering: .relaxed).oldValue
            if start >= inputs.count { return finishedIt }
            let end = min(start + grain, inputs.count)
            for index in start..<end { outputs[index] = work(inputs[index]) }
            let total = completed.add(end - start, ordering: .acquiringAndReleasing).newValue
            if total == inputs.count { finishedIt = true }
        }
    }

    /// Emits every result in order (the chunk is complete).
    ///
    /// - Returns: `false` when `emit` asked to stop.
    func drain(_ emit: (Input, Output) throws -> Bool) rethrows -> Bool {
        for index in inputs.indices {
            guard let output = outputs[index].take() else { continue }
            if try !emit(inputs[index], output) { return false }
        }
        return true
    }
}

/// Helper threads (POSIX threads, started on the first chunk with more than one input) that
/// work the current chunk beside the calling thread.
final class WorkerPool<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let helpers: Int
    private let work: @Sendable (Input) -> Output
    /// Guards ``current``, ``generation``, ``stopping`` and the waits on the two conditions.
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when a chunk is started or the pool stops.
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Signalled when a chunk's last result is written.
    private let done = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    private var current: Chunk<Input, Output>?
    private var generation = 0
    private var stopping = false
    /// Touched by the calling thread only.
    private var threads: [pthread_t] = []
    private var started = false

    /// The stack of a helper thread, as large as the main thread's usual one.
    static var stackBytes: Int { 8 << 20 }

    init(helpers: Int, work: @escaping @Sendable (Input) -> Output) {
        self.helpers = helpers
        self.work = work
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        pthread_cond_init(done, nil)
    }

    deinit {
        pthread_cond_destroy(done)
        pthread_cond_destroy(wake)
        pthread_mutex_destroy(lock)
        done.deallocate()
        wake.deallocate()
        lock.deallocate()
    }

    /// Hands a chunk to the helpers (a chunk of one input is left to the calling thread).
    func start(_ chunk: Chunk<Input, Output>) {
        guard chunk.count > 1 else { return }
        if !started { spawn() }
        pthread_mutex_lock(lock)
        current = chunk
        generation += 1
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(lock)
    }

    /// Works the chunk on the calling thread too, then waits until every result is written.
    func finish(_ chunk: Chunk<Input, Output>) {
        _ = chunk.help(work)
        pthread_mutex_lock(lock)
        while !chunk.isComplete { pthread_cond_wait(done, lock) }
        if current === chunk { current = nil }
        pthread_mutex_unlock(lock)
    }

    /// Stops the helpers and waits for them to end.
    func stop() {
        pthread_mutex_lock(lock)
        stopping = true
        pthread_cond_broadcast(wake)
        pthread_mutex_unlock(lock)
        for thread in threads { pthread_join(thread, nil) }
        threads = []
    }

    private func spawn() {
        started = true
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, Self.stackBytes)
        for _ in 0..<helpers {
            let body = Unmanaged.passRetained(ThreadBody { [self] in self.helperLoop() }).toOpaque()
            #if canImport(Darwin)
            var thread: pthread_t?
            #else
            var thread = pthread_t()
            #endif
            let result = pthread_create(&thread, &attributes, { raw in
                Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, body)
            guard result == 0 else {
                // Fewer threads (a process or memory limit): the calling thread still does the work.
                Unmanaged<ThreadBody>.fromOpaque(body).release()
                break
            }
            #if canImport(Darwin)
            if let thread { threads.append(thread) }
            #else
            threads.append(thread)
            #endif
        }
    }

    private func helperLoop() {
        var seen = 0
        pthread_mutex_lock(lock)
        while true {
            while generation == seen && !stopping { pthread_cond_wait(wake, lock) }
            if stopping { break }
            seen = generation
            guard let chunk = current else { continue }
            pthread_mutex_unlock(lock)
            let finishedIt = chunk.help(work)
            pthread_mutex_lock(lock)
            if finishedIt { pthread_cond_broadcast(done) }
        }
        pthread_mutex_unlock(lock)
    }
}

/// A thread's body, passed through `pthread_create`'s context pointer.
private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
