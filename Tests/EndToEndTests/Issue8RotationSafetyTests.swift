import Foundation
import Testing

/// issue-8: rotations survive crashes (injected after each write, and SIGKILL at arbitrary
/// moments), serialise on the lock, and keep every token verifiable over 120 simulated days.
@Suite("issue-8 rotation safety")
struct Issue8RotationSafetyTests {
    static let t0: Int64 = 1_800_000_000
    static let day: Int64 = 86_400

    func run(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> RunResult {
        let result = try Tokenctl.run(arguments)
        #expect(result.status == 0, "\(result)", sourceLocation: sourceLocation)
        return result
    }

    /// What must hold after any crash: the keyset loads with exactly one active key, every key
    /// of keys.json is published, `sign` works with a published key, and `tokens` verify both
    /// with the keyset and with the published jwks.json alone.
    func checkInvariants(_ keyset: String, tokens: [String], now: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let status = try Tokenctl.run(["rotate-keys", "--status", "--json", "--keyset", keyset, "--now", String(now)])
        #expect(status.status == 0, "\(status)", sourceLocation: sourceLocation)
        #expect(try KeysetFiles.kids(keyset, state: "active").count == 1, sourceLocation: sourceLocation)
        let published = Set(try KeysetFiles.publishedKids(keyset))
        #expect(Set(try KeysetFiles.kids(keyset)).isSubset(of: published), sourceLocation: sourceLocation)
        let fresh = try Tokenctl.run(["sign", "--keyset", keyset, "--now", String(now), "--exp", "1h"])
        #expect(fresh.status == 0, "\(fresh)", sourceLocation: sourceLocation)
        for key in [["--keyset", keyset], ["--key", keyset + "/jwks.json"]] {
            let verified = try Tokenctl.run(["verify", "-q", "--now", String(now)] + key + tokens + [fresh.output])
            #expect(verified.status == 0, "\(verified)", sourceLocation: sourceLocation)
        }
    }

    @Test("issue-8: a crash injected after each write step leaves a keyset that loads, signs, and verifies earlier tokens",
          arguments: ["tmp1", "1", "tmp2", "2", "tmp3", "3"])
    func injectedCrash(point: String) throws {
        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keys").path
        _ = try run(["rotate-keys", "--keyset", keyset, "--now", String(Self.t0)])
        _ = try run(["rotate-keys", "--keyset", keyset, "--now", String(Self.t0 + 2 * Self.day)])
        let crashAt = Self.t0 + 4 * Self.day
        let token = try run(["sign", "--keyset", keyset, "--now", String(crashAt - 3600), "--exp", "1d"]).output

        // This run publishes a new key, promotes one, and removes one: three writes.
        let crashed = try KeysetFiles.start(
            ["rotate-keys", "--keyset", keyset, "--now", String(crashAt)], environment: ["TOKENCTL_KEYSET_FAULT": point])
        crashed.waitUntilExit()
        #expect(crashed.terminationReason == .uncaughtSignal && crashed.terminationStatus == SIGKILL)
        try checkInvariants(keyset, tokens: [token], now: crashAt)

        // The next run completes the work and clears what the crash left behind.
        _ = try run(["rotate-keys", "--keyset", keyset, "--now", String(crashAt + 60), "--rotate-after", "30d"])
        try checkInvariants(keyset, tokens: [token], now: crashAt + 60)
        #expect(Set(try KeysetFiles.publishedKids(keyset)) == Set(try KeysetFiles.kids(keyset)))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: keyset).filter { $0.hasPrefix(".tmp-") }
        #expect(leftovers.isEmpty, "\(leftovers)")
    }

    @Test("issue-8: SIGKILL at arbitrary moments during rotations never loses the active key or a live token's key")
    func killedAtRandom() throws {
        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keys").path
        _ = try run(["rotate-keys", "--keyset", keyset, "--now", String(Self.t0)])
        var previous: String?
        for step in 1...24 {
            let now = Self.t0 + Int64(step) * 7200
            let process = try KeysetFiles.start(
                ["rotate-keys", "--keyset", keyset, "--force", "--retire-after", "3h", "--now", String(now)])
            usleep(useconds_t((step * 37 % 90) * 1000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            try checkInvariants(keyset, tokens: previous.map { [$0] } ?? [], now: now)
            previous = try run(["sign", "--keyset", keyset, "--now", String(now), "--exp", "3h"]).output
        }
    }

    @Test("issue-8: two runs started at once rotate once, not twice")
    func concurrentRuns() throws {
        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keys").path
        _ = try run(["rotate-keys", "--keyset", keyset, "--now", String(Self.t0)])
        let next = try KeysetFiles.kids(keyset, state: "next")
        let arguments = ["rotate-keys", "--keyset", keyset, "--rotate-after", "1d", "--now", String(Self.t0 + 2 * Self.day)]
        let runs = try (0..<2).map { _ in try KeysetFiles.start(arguments) }
        for process in runs {
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        #expect(try KeysetFiles.kids(keyset, state: "active") == next)
        #expect(try KeysetFiles.kids(keyset).count == 3)
    }

    @Test("issue-8: a run waits a bounded time for the lock, then exits 2 saying the keyset is locked")
    func lockTimeout() throws {
        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keys").path
        _ = try run(["rotate-keys", "--keyset", keyset, "--now", String(Self.t0)])
        let before = try String(contentsOfFile: keyset + "/keys.json", encoding: .utf8)
        let fd = open(keyset + "/.lock", O_RDWR)
        #expect(fd >= 0 && flock(fd, LOCK_EX) == 0)
        let locked = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--lock-wait", "1s"])
        close(fd)
        #expect(locked.status == 2 && locked.stderr.contains("error[keyset_locked]"), "\(locked)")
        #expect(locked.stderr.contains("'\(keyset)/.lock'"), "\(locked)")
        #expect(try String(contentsOfFile: keyset + "/keys.json", encoding: .utf8) == before)
        #expect(try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--lock-wait", "1s"]).status == 0)
    }

    @Test("issue-8: 120 days of daily 'rotate-keys --rotate-after 30d --retire-after 2d' with a 36-hour token a day")
    func simulation() throws {
        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keys").path
        let options = ["--keyset", keyset, "--rotate-after", "30d", "--retire-after", "2d"]
        var firstPublished: [String: Int] = [:]
        var firstSigned: [String: Int] = [:]
        var retiredOn: [String: Int] = [:]
        var rotations: [Int] = []
        var tokens: [String] = []
        var initialKey: String?
        var lastActive = ""
        for day in 0...120 {
            let now = Self.t0 + Int64(day) * Self.day
            if day % 30 == 0 || day % 30 == 2 {
                // A run killed part-way on the days that write; the real run follows.
                let killed = try KeysetFiles.start(["rotate-keys", "--now", String(now)] + options)
                usleep(useconds_t((day * 13 % 60) * 1000))
                kill(killed.processIdentifier, SIGKILL)
                killed.waitUntilExit()
            }
            let report = try KeysetFiles.object(try run(["rotate-keys", "--json", "--now", String(now)] + options).stdout)
            // The killed run may have finished the rotation itself: count changes of the active key.
            let active = try #require(report["active"] as? String)
            #expect(try KeysetFiles.kids(keyset, state: "active") == [active])
            if day == 0 { initialKey = active } else if active != lastActive { rotations.append(day) }
            lastActive = active

            let published = try KeysetFiles.publishedKids(keyset)
            #expect(published.count <= 3, "day \(day): \(published)")
            for kid in published where firstPublished[kid] == nil { firstPublished[kid] = day }
            for kid in try KeysetFiles.kids(keyset, state: "retiring") where retiredOn[kid] == nil { retiredOn[kid] = day }
            for (kid, retired) in retiredOn {
                // Published while retiring, gone exactly when --retire-after has passed.
                #expect(published.contains(kid) == (day < retired + 2), "day \(day): \(kid) retired on day \(retired)")
            }

            let token = try run(["sign", "--keyset", keyset, "--now", String(now), "--exp", "36h"]).output
            let kid = try KeysetFiles.kid(of: token)
            if firstSigned[kid] == nil { firstSigned[kid] = day }
            tokens.append(token)
            // Yesterday's token (expiring in 12 hours) and today's, checked just before yesterday's
            // expires, by the keyset and by the published JWKS alone: nothing changes until tomorrow.
            let live = Array(tokens.suffix(2))
            for key in [["--keyset", keyset], ["--key", keyset + "/jwks.json"]] {
                let verified = try Tokenctl.run(["verify", "-q", "--now", String(now + 43_199)] + key + live)
                #expect(verified.status == 0, "day \(day): \(verified)")
            }
        }
        #expect(rotations == [30, 60, 90, 120])
        for (kid, signed) in firstSigned where kid != initialKey {
            let published = try #require(firstPublished[kid])
            #expect(signed - published >= 1, "\(kid) published on day \(published), signed on day \(signed)")
        }
        #expect(firstSigned.count == 5)
        // The first key was removed on day 32: its token is rejected for its key, not its age.
        let old = try Tokenctl.run(["verify", "--keyset", keyset, "--now", String(Self.t0 + 60), tokens[0]])
        #expect(old.status == 1 && old.stderr.contains("key_not_found"), "\(old)")
    }
}
