import Foundation
import Testing

@testable import TokenKit

/// ``OrderedBatch``: every result in input order whatever the jobs, bounded read-ahead, a
/// read error after the results before it, and a stop or a thrown error ending emission.
/// Each thread reads and emits in turn: the closures below share unsynchronised state, which
/// is sound only because `next` and `emit` never run at the same time.
@Suite struct OrderedBatchTests {
    /// Work whose cost varies from input to input, so threads finish out of order.
    @Sendable static func work(_ value: Int) -> String {
        var hash = UInt64(truncatingIfNeeded: value) &* 0x9E37_79B9_7F4A_7C15
        for _ in 0..<(value % 7) * 50 { hash = (hash ^ (hash >> 29)) &* 0xBF58_476D_1CE4_E5B9 }
        return "\(value):\(hash)"
    }

    @Test("results come back in input order, with 1, 2, 3 and 7 jobs", arguments: [1, 2, 3, 7])
    func order(jobs: Int) throws {
        let count = 3_089
        var next = 0
        var emitted: [String] = []
        var inputs: [Int] = []
        try OrderedBatch.run(
            jobs: jobs, next: { next < count ? { next += 1; return next - 1 }() : nil }, work: Self.work,
            emit: { input, output in
                inputs.append(input)
                emitted.append(output)
                return true
            })
        #expect(inputs == Array(0..<count))
        #expect(emitted == (0..<count).map(Self.work))
    }

    @Test("at most readAhead(jobs:) inputs are read and not yet emitted", arguments: [2, 5])
    func boundedReadAhead(jobs: Int) throws {
        let count = 10_000
        var read = 0
        var worst = 0
        try OrderedBatch.run(
            jobs: jobs, next: { read < count ? { read += 1; return read - 1 }() : nil }, work: Self.work,
            emit: { input, _ in
                worst = max(worst, read - input)
                return true
            })
        #expect(worst <= OrderedBatch.readAhead(jobs: jobs))
        #expect(worst > 1, "inputs are read ahead while others are worked")
    }

    @Test("input that is not ready is not waited for: each result is emitted before the next read")
    func notReadyMeansNoReadAhead() throws {
        var read = 0
        var lagging: [Int] = []
        try OrderedBatch.run(
            jobs: 2, next: { read < 50 ? { read += 1; return read - 1 }() : nil }, isReady: { false }, work: { $0 },
            emit: { input, _ in
                if read != input + 1 { lagging.append(input) }
                return true
            })
        #expect(lagging.isEmpty)
    }

    struct ReadFailure: Error {}

    @Test("a read error is thrown after the results of every input before it", arguments: [1, 2])
    func readError(jobs: Int) {
        let failAt = 1_029
        var read = 0
        var emitted: [Int] = []
        #expect(throws: ReadFailure.self) {
            try OrderedBatch.run(
                jobs: jobs,
                next: {
                    if read == failAt { throw ReadFailure() }
                    read += 1
                    return read - 1
                },
                work: { $0 * 2 },
                emit: { _, output in
                    emitted.append(output)
                    return true
                })
        }
        #expect(emitted == (0..<failAt).map { $0 * 2 })
    }

    @Test("emit stops the run by returning false or by throwing; nothing is emitted after", arguments: [1, 2, 5])
    func stop(jobs: Int) {
        let count = 5_120
        var next = 0
        var emitted = 0
        try? OrderedBatch.run(
            jobs: jobs, next: { next < count ? { next += 1; return next - 1 }() : nil }, work: { $0 },
            emit: { input, _ in
                emitted += 1
                return input < 2500
            })
        #expect(emitted == 2501)
        next = 0
        emitted = 0
        #expect(throws: ReadFailure.self) {
            try OrderedBatch.run(
                jobs: jobs, next: { next < count ? { next += 1; return next - 1 }() : nil }, work: { $0 },
                emit: { input, _ in
                    emitted += 1
                    if input == 3000 { throw ReadFailure() }
                    return true
                })
        }
        #expect(emitted == 3001)
    }

    @Test("the processors available are at least 1 and at most those online")
    func processors() {
        let available = ProcessorCount.available()
        #expect(available >= 1)
        #expect(available <= max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }
}
