import Foundation
import Testing

@testable import TokenKit

/// ``PerThread`` and ``ThreadOrdinal``: a thread keeps its number and its value; threads get
/// values of their own; more threads than slots share slots and still count correctly.
/// Serialized: one test holds 117 thread numbers at once, which another counts.
@Suite(.serialized) struct PerThreadTests {
    /// Runs `body` on `count` new threads at once and waits for all of them.
    static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            let thread = Thread {
                body(index)
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    @Test("a thread's ordinal stays the same; two threads alive at once have different ordinals")
    func ordinals() {
        let mine = ThreadOrdinal.current
        #expect(ThreadOrdinal.current == mine)
        let seen = Locked<[Int]>([])
        // Each thread waits for the other to arrive, so that both are alive at once.
        let arrived = DispatchGroup()
        arrived.enter()
        arrived.enter()
        Self.onThreads(2) { _ in
            let first = ThreadOrdinal.current
            #expect(ThreadOrdinal.current == first)
            seen.withLock { $0.append(first) }
            arrived.leave()
            arrived.wait()
        }
        let ordinals = seen.withLock { $0 }
        #expect(ordinals.count == 2)
        #expect(Set(ordinals).count == 2, "\(ordinals)")
        #expect(!ordinals.contains(mine))
    }

    @Test("a value is made when a thread first uses its slot, once, not for every slot")
    func valuesAreMadeOnFirstUse() {
        let made = Locked(0)
        let values = PerThread<Int> {
            made.withLock { $0 += 1 }
            return 7
        }
        #expect(made.withLock { $0 } == 0)
        #expect(values.withLock { $0 } == 7)
        values.withLock { $0 += 1 }
        #expect(values.withLock { $0 } == 8)
        #expect(made.withLock { $0 } == 1)
        var seen: [Int] = []
        values.forEach { seen.append($0) }
        #expect(seen == [8], "forEach visits only the values made")
    }

    @Test("threads alive at once each see the value they wrote, not another thread's")
    func valuesAreTheThreads() {
        let values = PerThread<[Int]> { [] }
        values.withLock { $0 = [-1] }
        let threads = 4
        let written = Locked<[Int: Int]>([:])  // thread index → ordinal
        let arrived = DispatchGroup()
        for _ in 0..<threads { arrived.enter() }
        let mismatches = Locked(0)
        Self.onThreads(threads) { index in
            written.withLock { $0[index] = ThreadOrdinal.current }
            values.withLock { $0 = [index] }
            arrived.leave()
            arrived.wait()  // every thread has written before any reads
            if values.withLock({ $0 }) != [index] { mismatches.withLock { $0 += 1 } }
        }
        let ordinals = Array(written.withLock { $0 }.values) + [ThreadOrdinal.current]
        #expect(Set(ordinals).count == threads + 1, "threads alive at once have different numbers: \(ordinals)")
        // Numbers are the lowest free ones, so (with fewer than 64 numbered threads alive in the
        // test process) each of these threads has a slot of its own.
        if ordinals.allSatisfy({ $0 < PerThread<Int>.ownSlotCount }) {
            #expect(mismatches.withLock { $0 } == 0)
            #expect(values.withLock { $0 } == [-1], "the calling thread's value is untouched")
        }
    }

    @Test("a thread's number is free again when it exits: 100 threads in turn keep numbers small")
    func numbersAreReused() {
        let largest = Locked(0)
        for _ in 0..<100 {
            Self.onThreads(1) { _ in
                let ordinal = ThreadOrdinal.current
                largest.withLock { $0 = max($0, ordinal) }
            }
        }
        // A thread may still be exiting as the next starts, and other tests' threads hold
        // numbers too; without reuse the last would be 100 or more.
        #expect(largest.withLock { $0 } < 50, "largest number: \(largest.withLock { $0 })")
    }

    @Test("more threads than slots of their own share the locked slots and lose no update")
    func sharedSlotsStayCorrect() {
        let counts = PerThread { 0 }
        // All alive at once (each waits for the others before counting), so that numbers reach
        // past the slots of one thread each and several threads share each locked slot.
        let threads = PerThread<Int>.ownSlotCount + PerThread<Int>.sharedSlotCount * 3 + 5
        let arrived = DispatchGroup()
        for _ in 0..<threads { arrived.enter() }
        let largest = Locked(0)
        Self.onThreads(threads) { _ in
            largest.withLock { $0 = max($0, ThreadOrdinal.current) }
            arrived.leave()
            arrived.wait()
            for _ in 0..<500 { counts.withLock { $0 += 1 } }
        }
        #expect(largest.withLock { $0 } >= PerThread<Int>.slotCount, "some threads share a locked slot")
        var total = 0
        counts.forEach { total += $0 }
        #expect(total == threads * 500)
    }

    /// Counts its instances alive, to see that ``PerThread`` releases what it made.
    final class Tracked: Sendable {
        static let alive = Locked(0)
        init() { Self.alive.withLock { $0 += 1 } }
        deinit { Self.alive.withLock { $0 -= 1 } }
    }

    @Test("the values made are released with the PerThread, and a replaced value at once")
    func valuesAreReleased() {
        let before = Tracked.alive.withLock { $0 }
        do {
            let values = PerThread { Tracked() }
            values.withLock { _ in }
            // Weakly: a finished Thread may release its closure a moment after the group is left.
            Self.onThreads(2) { [weak values] _ in values?.withLock { _ in } }
            #expect(Tracked.alive.withLock { $0 } - before >= 2, "values made on first use by each thread")
            values.withLock { $0 = Tracked() }
            #expect(Tracked.alive.withLock { $0 } - before <= 3, "the replaced value is gone")
        }
        #expect(Tracked.alive.withLock { $0 } == before, "every value made is released with its PerThread")
    }

    @Test("each slot is on cache lines of its own: 128 bytes or more from the next, 128-byte aligned")
    func slotsDoNotShareCacheLines() {
        for values in [PerThread<Int> { 0 }.slotAddresses, PerThread<[String: Int]> { [:] }.slotAddresses] {
            #expect(values.count == PerThread<Int>.slotCount)
            for address in values { #expect(address % 128 == 0) }
            for (first, second) in zip(values, values.dropFirst()) { #expect(second - first >= 128) }
        }
    }
}
