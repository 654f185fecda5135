#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value kept once per thread, for caches and pools that `--jobs` threads use on every
/// token. A thread numbered below ``ownSlotCount`` (``ThreadOrdinal``) has a slot no other
/// live thread uses, so it reads and writes its value without a lock: it touches memory no
/// other thread writes, no cache line or reference count moves between processors, and no
/// lock is taken (three a token in batch `verify`, ~1 % of its perf samples). Threads numbered
/// beyond share ``sharedSlotCount`` slots, each under its own lock.
///
/// A number is reused only after its thread exits, and numbers are handed out and returned
/// under one lock (``ThreadOrdinal``): the thread that next owns a slot sees everything the
/// last one wrote.
///
/// The slots lie in one allocation, each lock and value inline and ``slotBytes`` apart:
/// separately allocated locks lay 48 bytes apart, so two threads' locks could share a cache
/// line and move it between processors on every token. One allocation instead of many also
/// made a one-shot `sign ES256` 2 % cheaper (it creates a few of these).
public final class PerThread<Value>: @unchecked Sendable {
    /// Slots of one thread each, without a lock: for the threads numbered below this.
    static var ownSlotCount: Int { 64 }
    /// Locked slots that the threads numbered ``ownSlotCount`` and above share.
    static var sharedSlotCount: Int { 16 }
    static var slotCount: Int { ownSlotCount + sharedSlotCount }

    /// The distance between slots: two cache lines, since processors fetch lines in pairs.
    private static var slotBytes: Int {
        let used = valueOffset + MemoryLayout<Value>.size
        return (used + 127) / 128 * 128
    }

    /// Where a slot's mark (whether its value has been made) lies, after its lock.
    private static var madeOffset: Int { MemoryLayout<pthread_mutex_t>.size }

    /// Where a slot's value lies, after its mark.
    private static var valueOffset: Int {
        let alignment = MemoryLayout<Value>.alignment
        return (madeOffset + 1 + alignment - 1) / alignment * alignment
    }

    private let storage: UnsafeMutableRawPointer
    private let make: () -> Value

    /// Every slot starts as `make()`, made when a thread first uses the slot: a one-shot
    /// process, on one thread, makes one value, not one per slot (16 copies of a set built at
    /// start once cost about 7 % of a one-shot `sign ES256`). A slot's mark says whether its
    /// value is made: unmade slots cost nothing to set up or tear down (a generic optional per
    /// slot cost ~1,500 instructions in the deinit alone).
    public init(_ make: @escaping () -> Value) {
        self.make = make
        storage = .allocate(byteCount: Self.slotCount * Self.slotBytes, alignment: 128)
        for slot in 0..<Self.slotCount { isMade(slot).initialize(to: false) }
        for slot in Self.ownSlotCount..<Self.slotCount { pthread_mutex_init(lock(slot), nil) }
    }

    deinit {
        for slot in 0..<Self.slotCount where isMade(slot).pointee { value(slot).deinitialize(count: 1) }
        for slot in Self.ownSlotCount..<Self.slotCount { pthread_mutex_destroy(lock(slot)) }
        storage.deallocate()
    }

    /// Where each slot begins (for tests of the layout).
    var slotAddresses: [UInt] { (0..<Self.slotCount).map { UInt(bitPattern: storage + $0 * Self.slotBytes) } }

    /// A shared slot's lock (an own slot leaves this room unused).
    private func lock(_ slot: Int) -> UnsafeMutablePointer<pthread_mutex_t> {
        (storage + slot * Self.slotBytes).assumingMemoryBound(to: pthread_mutex_t.self)
    }

    private func isMade(_ slot: Int) -> UnsafeMutablePointer<Bool> {
        (storage + slot * Self.slotBytes + Self.madeOffset).assumingMemoryBound(to: Bool.self)
    }

    private func value(_ slot: Int) -> UnsafeMutablePointer<Value> {
        (storage + slot * Self.slotBytes + Self.valueOffset).assumingMemoryBound(to: Value.self)
    }

    /// Runs `body` with the calling thread's value, which no other thread uses meanwhile: the
    /// thread's own slot, or a shared slot under its lock. `body` must not use this
    /// `PerThread` again.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        let ordinal = ThreadOrdinal.current
        if ordinal < Self.ownSlotCount { return try withValue(in: ordinal, body) }
        let slot = Self.ownSlotCount + (ordinal - Self.ownSlotCount) % Self.sharedSlotCount
        pthread_mutex_lock(lock(slot))
        defer { pthread_mutex_unlock(lock(slot)) }
        return try withValue(in: slot, body)
    }

    /// Runs `body` on every value made so far, in turn (for a deinit, when no thread uses
    /// this any more).
    func forEach(_ body: (inout Value) -> Void) {
        for slot in 0..<Self.slotCount where isMade(slot).pointee { body(&value(slot).pointee) }
    }

    private func withValue<Result>(in slot: Int, _ body: (inout Value) throws -> Result) rethrows -> Result {
        if !isMade(slot).pointee {
            value(slot).initialize(to: make())
            isMade(slot).pointee = true
        }
        return try body(&value(slot).pointee)
    }
}

/// A small number for the calling thread, the lowest not held by a live thread: threads
/// alive at the same time have different numbers, and a thread's number is free again when
/// it exits, so numbers stay below the count of threads alive at once.
enum ThreadOrdinal {
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        // Runs as a numbered thread exits (its stored value is never nil).
        pthread_key_create(&key) { stored in
            guard let stored else { return }
            ThreadOrdinal.release(Int(bitPattern: stored) - 1)
        }
        return key
    }()

    /// Numbers handed out and not yet released: `taken[n]` for number `n`.
    private static let taken = Locked<[Bool]>([])

    /// The calling thread's number.
    static var current: Int {
        // Stored as the number plus one, so that a thread not yet numbered reads nil.
        if let stored = pthread_getspecific(key) { return Int(bitPattern: stored) - 1 }
        let ordinal = taken.withLock { taken in
            if let free = taken.firstIndex(of: false) {
                taken[free] = true
                return free
            }
            taken.append(true)
            return taken.count - 1
        }
        pthread_setspecific(key, UnsafeRawPointer(bitPattern: ordinal + 1))
        return ordinal
    }

    private static func release(_ ordinal: Int) {
        taken.withLock { if ordinal < $0.count { $0[ordinal] = false } }
    }
}
