import Testing
@testable import TokenKit

/// The keyset file format (version, kinds, states) and the rotation plan.
@Suite("Keyset")
struct KeysetTests {
    static let t0: Int64 = 1_800_000_000
    static let day: Int64 = 86_400

    func keyset(_ states: [Keyset.State], at time: Int64 = t0) throws -> Keyset {
        var entries: [Keyset.Entry] = []
        for state in states {
            var entry = try Keyset.newEntry(algorithm: .es256, state: state, now: time)
            if state == .retiring { entry.retired = time }
            entries.append(entry)
        }
        return Keyset(directory: "/ks", entries: entries)
    }

    func reparse(_ keyset: Keyset) throws -> Keyset {
        try Keyset.parse(try keyset.privateFileBytes(), directory: "/ks", path: "/ks/keys.json", isPrivate: true)
    }

    @Test("the private file round-trips with its version, kinds, states and times")
    func roundTrip() throws {
        var original = try keyset([.active, .next, .retiring])
        original.entries[2].activated = Self.t0 - 10
        let text = String(decoding: try original.privateFileBytes(), as: UTF8.self)
        #expect(text.hasPrefix("{\n  \"version\": 1,"))
        let parsed = try reparse(original)
        #expect(parsed.entries.map(\.state) == [.active, .next, .retiring])
        #expect(parsed.entries.map(\.kid) == original.entries.map(\.kid))
        #expect(parsed.entries[2].retired == Self.t0 && parsed.entries[2].activated == Self.t0 - 10)
        #expect(parsed.entries.allSatisfy { $0.kind == .jwt && $0.key.isPrivate })
        #expect(try parsed.signingKey().kid == original.entries[0].kid)
        #expect(parsed.verificationKeys.count == 3)
    }

    @Test("a file without version reads as version 1; another version or state is refused")
    func versions() throws {
        let text = String(decoding: try keyset([.active]).privateFileBytes(), as: UTF8.self)
        let legacy = text.replacingOccurrences(of: "\"version\": 1,", with: "")
            .replacingOccurrences(of: "\"kind\": \"jwt\",", with: "")
        #expect(!legacy.contains("version") && !legacy.contains("kind"))
        let parsed = try Keyset.parse(Array(legacy.utf8), directory: "/ks", path: "p", isPrivate: true)
        #expect(parsed.entries.count == 1 && parsed.entries[0].kind == .jwt)
        for (from, to) in [("\"version\": 1", "\"version\": 2"), ("\"version\": 1", "\"version\": \"1\""), ("\"state\": \"active\"", "\"state\": \"standby\"")] {
            #expect(throws: TokenError(.malformedKey, "")) {
                try Keyset.parse(Array(text.replacingOccurrences(of: from, with: to).utf8), directory: "/ks", path: "p", isPrivate: true)
            }
        }
    }

    @Test("records of an unknown kind are kept on rewrite, never published, never used for tokens")
    func unknownKind() throws {
        let text = String(decoding: try keyset([.active]).privateFileBytes(), as: UTF8.self)
        let other = #"{"kind": "api-key", "kty": "oct", "k": "c2VjcmV0", "state": "active"}"#
        let extended = text.replacingOccurrences(of: "\"keys\": [", with: "\"keys\": [\n" + other + ",")
        let parsed = try Keyset.parse(Array(extended.utf8), directory: "/ks", path: "p", isPrivate: true)
        #expect(parsed.entries.count == 1 && parsed.otherRecords.count == 1)
        #expect(parsed.verificationKeys.count == 1)
        #expect(String(decoding: try parsed.privateFileBytes(), as: UTF8.self).contains("\"kind\": \"api-key\""))
        #expect(!Keyset.publicFileText(parsed.entries).contains("c2VjcmV0"))
    }

    @Test("a rotation promotes next, retires active, adds a next key; removal waits for retireAfter")
    func rotation() throws {
        let before = try keyset([.active, .next])
        let policy = RotationPolicy(rotateAfter: 30 * Self.day, retireAfter: 2 * Self.day)
        let idle = try KeysetRotation.plan(directory: "/ks", before: before, policy: policy, now: Self.t0 + Self.day, dryRun: true)
        #expect(idle.action == .unchanged && idle.nextRotation == Self.t0 + 30 * Self.day)

        let rotated = try KeysetRotation.plan(directory: "/ks", before: before, policy: policy, now: Self.t0 + 30 * Self.day, dryRun: true)
        #expect(rotated.action == .rotated)
        #expect(rotated.promoted?.kid == before.entries[1].kid)
        #expect(rotated.keyset.entries.map(\.state) == [.retiring, .active, .next])
        #expect(rotated.keyset.entries[0].retired == Self.t0 + 30 * Self.day)
        #expect(rotated.added.count == 1 && rotated.warnings.isEmpty)

        let early = try KeysetRotation.plan(directory: "/ks", before: rotated.keyset, policy: policy, now: Self.t0 + 31 * Self.day, dryRun: true)
        #expect(early.action == .unchanged && early.removed.isEmpty)
        let due = try KeysetRotation.plan(directory: "/ks", before: rotated.keyset, policy: policy, now: Self.t0 + 32 * Self.day, dryRun: true)
        #expect(due.action == .removed && due.removed.map(\.kid) == [before.entries[0].kid])
        #expect(due.keyset.entries.count == 2)
    }

    @Test("without a next key, a run only adds one, even when forced; a fresh next key warns")
    func addsNextFirst() throws {
        let before = try keyset([.active])
        let plan = try KeysetRotation.plan(directory: "/ks", before: before, policy: RotationPolicy(force: true), now: Self.t0, dryRun: true)
        #expect(plan.action == .addedNext)
        #expect(plan.keyset.entries.map(\.state) == [.active, .next])
        let soon = try KeysetRotation.plan(directory: "/ks", before: plan.keyset, policy: RotationPolicy(), now: Self.t0 + 60, dryRun: true)
        #expect(soon.action == .rotated && soon.warnings.count == 1)
    }

    @Test("a keyset with two active keys is refused; a new keyset has an active and a next key of --alg")
    func activeCount() throws {
        #expect(throws: TokenError(.malformedKey, "")) {
            try KeysetRotation.plan(directory: "/ks", before: try keyset([.active, .active]), policy: RotationPolicy(), now: Self.t0, dryRun: true)
        }
        let created = try KeysetRotation.plan(directory: "/ks", before: nil, policy: RotationPolicy(algorithm: .edDSA), now: Self.t0, dryRun: true)
        #expect(created.action == .created && created.keyset.entries.map(\.state) == [.active, .next])
        #expect(created.keyset.entries.allSatisfy { $0.key.algorithm == .edDSA })
    }
}
