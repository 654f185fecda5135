internal import COpenSSL

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
/// Every thread (the calling thread and `jobs - 1` helpers) serves itself in turn: it reads
/// the next input, works it, and emits it if every input before it has been emitted, with
/// the results after it that are already worked; otherwise it leaves its result for the
/// thread that emits the one before. So an input is usually read, worked and written out by
/// one thread, and its bytes stay in that processor's cache (handing every input and result
/// to another thread cost `--jobs 2` a quarter to half more CPU time than one job). Reading
/// and emitting are serialised by one lock, in input order; at most ``readAhead(jobs:)``
/// inputs are read and not yet emitted, whatever the length of the input.
///
/// With one job no thread is started: each input is worked and emitted in turn, exactly as a
/// plain loop would.
public enum OrderedBatch {
    /// The most inputs read and not yet emitted with `jobs` threads: one worked by each, and
    /// as many waiting for an input before them.
    public static func readAhead(jobs: Int) -> Int { 2 * jobs }

    /// Works every input and emits each result in input order.
    ///
    /// - Parameters:
    ///   - jobs: how many threads work (the calling thread included); 1 or less starts none.
    ///   - next: the next input, or `nil` at the end. With jobs it runs on any of the threads,
    ///     one call at a time, never during `emit`. An error it throws is rethrown after every
    ///     input read before it has been emitted.
    ///   - isReady: whether `next` can return an input without waiting (a pipe with nothing
    ///     in it is not ready). Before waiting for input, every input read is emitted, so a
    ///     result is written before the process blocks on input that has not arrived yet.
    ///   - work: the work on one input; may run on any thread, beside the others.
    ///   - emit: takes one input and its result, in input order, on any of the threads, one
    ///     call at a time, never during `next`; returns `false` to stop (no later result is
    ///     emitted).
    /// - Throws: what `next` or `emit` throws; nothing is emitted after it.
    public static func run<Input: Sendable, Output: Sendable>(
        jobs: Int,
        next: () throws -> Input?,
        isReady: () -> Bool = { true },
        work: @escaping @Sendable (Input) -> Output,
        emit: (Input, Output) throws -> Bool
    ) throws {
        if jobs <= 1 {
            while let input = try next() {
                if try !emit(input, work(input)) { return }
            }
            return
        }
        CTokenShim_keep_freed_memory()  // results are freed by the thread that emits them: see COpenSSL.h
        try withoutActuallyEscaping(next) { next in
            try withoutActuallyEscaping(isReady) { isReady in
                try withoutActuallyEscaping(emit) { emit in
                    // The closures escape only to threads that end before `run` returns.
                    let turns = Turns(jobs: jobs, next: next, isReady: isReady, work: work, emit: emit)
                    turns.serve()
                    try turns.finish()
                }
            }
        }
    }
}

/// The state the threads of one ``OrderedBatch/run(jobs:next:isReady:work:emit:)`` share, and
/// each thread's loop. Everything but the work is read and written under ``lock``.
private final class Turns<Input: Sendable, Output: Sendable>: @unchecked Sendable {
    private let jobs: Int
    private let next: () throws -> Input?
    private let isReady: () -> Bool
    private let work: @Sendable (Input) -> Output
    private let emit: (Input, Output) throws -> Bool

    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    /// Signalled when an input is emitted or the run ends: a thread waiting to read checks again.
    private let changed = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Results worked and waiting for an input before them, at their input's place modulo the count.
    private var waiting: [(Input, Output)?]
    /// How many inputs have been read, and how many emitted.
    private var readCount = 0
    private var emittedCount = 0
    /// `next` returned `nil` or threw.
    private var exhausted = false
    /// `emit` returned `false` or threw: nothing more is read or emitted.
    private var stopped = false
    private var readError: (any Error)?
    private var emitError: (any Error)?
    /// The helpers, started when a second input is read (a batch of one input starts none).
    private var threads: [pthread_t] = []

    /// The stack of a helper thread, as large as the main thread's usual one.
    static var stackBytes: Int { 8 << 20 }

    init(
        jobs: Int, next: @escaping () throws -> Input?, isReady: @escaping () -> Bool,
        work: @escaping @Sendable (Input) -> Output, emit: @escaping (Input, Output) throws -> Bool
    ) {
        self.jobs = jobs
        self.next = next
        self.isReady = isReady
        self.work = work
        self.emit = emit
        waiting = Array(repeating: nil, count: OrderedBatch.readAhead(jobs: jobs))
        pthread_mutex_init(lock, nil)
        pthread_cond_init(changed, nil)
    }

    deinit {
        pthread_cond_destroy(changed)
        pthread_mutex_destroy(lock)
        changed.deallocate()
        lock.deallocate()
    }

    /// One thread's loop: read an input, work it, emit what is in order; until the input ends
    /// or the run stops.
    func serve() {
        acquire()
        while let (place, input) = readTurn() {
            pthread_mutex_unlock(lock)
            let output = work(input)
            acquire()
            if stopped { continue }
            waiting[place % waiting.count] = (input, output)
            emitInOrder()
        }
        pthread_mutex_unlock(lock)
    }

    /// Waits for this thread's turn to read and reads an input, with its place (0 for the
    /// first); `nil` when there is nothing more to read. Called and returns holding the lock.
    private func readTurn() -> (Int, Input)? {
        while !stopped, !exhausted {
            let unemitted = readCount - emittedCount
            // Room for one more, and the input ready or nothing read left to emit before waiting on it.
            if unemitted < waiting.count, unemitted == 0 || isReady() { break }
            pthread_cond_wait(changed, lock)
        }
        if stopped || exhausted { return nil }
        let input: Input?
        do {
            input = try next()
        } catch {
            readError = error
            input = nil
        }
        guard let input else {
            exhausted = true
            pthread_cond_broadcast(changed)
            return nil
        }
        readCount += 1
        if readCount == 2 { spawn() }  // once: the count only grows
        return (readCount - 1, input)
    }

    /// Emits every result that is next in order, the lock held.
    private func emitInOrder() {
        while !stopped, let (input, output) = waiting[emittedCount % waiting.count] {
            waiting[emittedCount % waiting.count] = nil
            do {
                if try !emit(input, output) { stopped = true }
            } catch {
                emitError = error
                stopped = true
            }
            emittedCount += 1
        }
        pthread_cond_broadcast(changed)
    }

    /// Takes the lock, trying a few times before sleeping on it: the lock is held only to read
    /// or write out one input, and a thread put to sleep and woken costs far more than that.
    private func acquire() {
        for _ in 0..<200 {
            if pthread_mutex_trylock(lock) == 0 { return }
        }
        pthread_mutex_lock(lock)
    }

    /// After the calling thread's loop: waits for the helpers to end theirs (the run has
    /// ended), then rethrows what `emit` or `next` threw.
    func finish() throws {
        for thread in threads { pthread_join(thread, nil) }
        threads = []
        if let emitError { throw emitError }
        if let readError { throw readError }
    }

    /// Starts the helpers (called holding the lock, by whichever thread reads the second input).
    private func spawn() {
        var attributes = pthread_attr_t()
        pthread_attr_init(&attributes)
        defer { pthread_attr_destroy(&attributes) }
        pthread_attr_setstacksize(&attributes, Self.stackBytes)
        for _ in 1..<jobs {
            let body = Unmanaged.passRetained(ThreadBody { [self] in self.serve() }).toOpaque()
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
                // Fewer threads (a process or memory limit): the threads there are do the work.
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
}

/// A thread's body, passed through `pthread_create`'s context pointer.
private final class ThreadBody {
    let run: () -> Void
    init(_ run: @escaping () -> Void) { self.run = run }
}
