/// What a rotation is asked to do (the options of `rotate-keys`).
public struct RotationPolicy: Sendable {
    /// Rotate only once the active key has been active this long (seconds); `nil` rotates on
    /// every run.
    public var rotateAfter: Int64?
    /// Remove a retiring key once it has been retiring this long (seconds). It must cover
    /// the longest token lifetime. Default: one day.
    public var retireAfter: Int64
    /// Rotate now, whatever ``rotateAfter`` says.
    public var force: Bool
    /// The algorithm of new keys; `nil` keeps that of the newest key (else ES256).
    public var algorithm: Algorithm?

    /// The default of ``retireAfter``: one day.
    public static let defaultRetireAfter: Int64 = 86_400

    /// Creates a policy.
    public init(rotateAfter: Int64? = nil, retireAfter: Int64 = defaultRetireAfter, force: Bool = false, algorithm: Algorithm? = nil) {
        self.rotateAfter = rotateAfter
        self.retireAfter = retireAfter
        self.force = force
        self.algorithm = algorithm
    }

}

/// What one run of `rotate-keys` did (or, in a dry run, would do), or the state of a keyset.
public struct RotationReport: Sendable {
    /// The outcome.
    public enum Action: String, Sendable {
        /// A new keyset was made, with an active and a next key.
        case created
        /// The keyset had no next key; one was added (nothing rotated, so that no key signs
        /// before it has been published).
        case addedNext = "added_next"
        /// next became active, active became retiring, a new next was made.
        case rotated
        /// Retiring keys past their time were removed; nothing rotated.
        case removed
        /// `jwks.json` did not match `keys.json` and was rewritten; nothing rotated.
        case republished
        /// Nothing was due.
        case unchanged
        /// Only the state was shown.
        case status
    }

    /// The keyset directory.
    public var directory: String
    /// What happened.
    public var action: Action
    /// Whether nothing was written (a dry run, or a status).
    public var dryRun: Bool
    /// The keyset after the run.
    public var keyset: Keyset
    /// Keys made by the run.
    public var added: [Keyset.Entry]
    /// Keys removed by the run.
    public var removed: [Keyset.Entry]
    /// The key that became active, when the run rotated.
    public var promoted: Keyset.Entry?
    /// Sentences on what happened and why (for example why a next key was added).
    public var notes: [String]
    /// Things the operator should know (a key activated soon after it was published).
    public var warnings: [String]
    /// The policy the schedule below follows.
    public var policy: RotationPolicy
    /// The time the run took as now.
    public var now: Int64

    /// Whether the run changed (or, in a dry run, would change) the keyset.
    public var changed: Bool { action != .unchanged && action != .status }

    /// The active JWT key after the run.
    public var active: Keyset.Entry? { keyset.entries(of: .jwt).first { $0.state == .active } }

    /// The kids of the published keys (`jwks.json`) after the run: every JWT key with a
    /// public part (an HMAC keyset publishes none).
    public var publishedKids: [String] { keyset.entries(of: .jwt).filter { $0.key.publicJWK() != nil }.map(\.kid) }

    /// When the next rotation is due: the active key's activation plus `rotateAfter`, or
    /// `nil` when every run rotates.
    public var nextRotation: Int64? {
        guard let rotateAfter = policy.rotateAfter, let active else { return nil }
        return active.since + rotateAfter
    }

    /// When a retiring key will be removed; `nil` for other states.
    public func removalDue(of entry: Keyset.Entry) -> Int64? {
        entry.state == .retiring ? entry.since + policy.retireAfter : nil
    }
}

/// `rotate-keys`: rotation, status and creation of keysets.
public enum KeysetRotation {
    /// How long a run waits for another run's lock unless told otherwise: 10 seconds.
    public static let defaultLockTimeout = 10.0

    /// One rotation run, under the keyset's lock: creates a missing keyset (active and next
    /// keys), adds a next key to a keyset without one, rotates when due (API-key secrets with
    /// the signing keys, see ``rotateAPIKeySecrets(_:rotated:now:report:)``), removes retiring
    /// keys and secrets past ``RotationPolicy/retireAfter``, and republishes a `jwks.json` that does not
    /// match. A dry run takes no lock and writes nothing.
    ///
    /// - Parameters:
    ///   - directory: the keyset directory.
    ///   - policy: when to rotate and remove, and the algorithm of new keys.
    ///   - now: the current time, Unix seconds.
    ///   - dryRun: report what would change without writing.
    ///   - jwksOut: another path to write the public JWKS to, atomically.
    ///   - lockTimeout: seconds to wait for another run's lock.
    /// - Throws: ``TokenError/Code/insecureKeyset``, ``TokenError/Code/keysetLocked``,
    ///   ``TokenError/Code/inputUnreadable``, ``TokenError/Code/outputUnwritable``,
    ///   ``TokenError/Code/malformedKey`` (an unreadable keyset, an unknown format version, a
    ///   keyset with other than one active key, or a public-only keyset),
    ///   ``TokenError/Code/backendFailure``.
    public static func rotate(
        directory: String, policy: RotationPolicy, now: Int64, dryRun: Bool = false, jwksOut: String? = nil,
        lockTimeout: Double = KeysetRotation.defaultLockTimeout
    ) throws -> RotationReport {
        if dryRun {
            let before = try KeysetDirectory.open(directory).map { handle in
                if !handle.isEmptyAndAdoptable { try handle.checkPrivate() }
                return try existingKeyset(handle)
            }
            return try plan(directory: directory, before: before ?? nil, policy: policy, now: now, dryRun: true)
        }
        let handle = try KeysetDirectory.openOrCreate(directory)
        try handle.checkPrivate()
        let lock = try handle.lock(timeout: lockTimeout)
        defer { lock.release() }
        handle.removeStrayTemporaries()
        let before = try existingKeyset(handle)
        var report = try plan(directory: directory, before: before, policy: policy, now: now, dryRun: false)
        let store = KeysetStore(handle)
        if let before {
            if report.action == .unchanged, store.currentPublicText() != Keyset.publicFileText(report.keyset.entries) {
                report.action = .republished
                report.notes.append("\(Keyset.publicFileName) did not match \(Keyset.privateFileName) (an interrupted run?) and was rewritten")
            }
            try store.replace(before, with: report.keyset, jwksOut: jwksOut)
        } else {
            try store.publishThenCommit(report.keyset)
            if let jwksOut { try FileAccess.writeAtomically(Array(Keyset.publicFileText(report.keyset.entries).utf8), to: jwksOut, mode: 0o644) }
        }
        return report
    }

    /// The state of a keyset and its schedule under `policy`, changing nothing.
    ///
    /// - Throws: the errors of ``Keyset/load(from:)``; ``TokenError/Code/inputUnreadable``
    ///   when the keyset does not exist.
    public static func status(directory: String, policy: RotationPolicy, now: Int64) throws -> RotationReport {
        guard let handle = try KeysetDirectory.open(directory) else {
            throw TokenError(.inputUnreadable, "keyset directory \(FileAccess.quoted(directory)) does not exist")
        }
        try handle.checkPrivate()
        guard let keyset = try existingKeyset(handle) else {
            throw TokenError(.inputUnreadable, "keyset directory '\(directory)' holds no \(Keyset.privateFileName)")
        }
        return RotationReport(
            directory: directory, action: .status, dryRun: true, keyset: keyset, added: [], removed: [],
            promoted: nil, notes: [], warnings: [], policy: policy, now: now)
    }

    /// The keyset in an opened directory, or `nil` when it holds no keyset yet.
    private static func existingKeyset(_ handle: KeysetDirectory) throws -> Keyset? {
        if !handle.contains(Keyset.privateFileName) {
            if handle.contains(Keyset.publicFileName) {
                throw TokenError.malformedKey("keyset '\(handle.path)' holds only the public \(Keyset.publicFileName), so it cannot be rotated here: rotate the keyset that has \(Keyset.privateFileName)")
            }
            return nil
        }
        return try Keyset.load(handle)
    }

    /// What a run does to `before` (`nil`: no keyset yet), computed without writing: the
    /// pure part of ``rotate(directory:policy:now:dryRun:jwksOut:lockTimeout:)``.
    ///
    /// - Parameters:
    ///   - directory: the keyset directory, for the report.
    ///   - before: the keyset as it is, or `nil` when there is none yet.
    ///   - policy: when to rotate and remove, and the algorithm of new keys.
    ///   - now: the current time, Unix seconds.
    ///   - dryRun: recorded in the report.
    /// - Throws: ``TokenError/Code/malformedKey`` when the keyset has other than one active key;
    ///   the errors of ``Keyset/newEntry(algorithm:state:now:kind:)``.
    public static func plan(directory: String, before: Keyset?, policy: RotationPolicy, now: Int64, dryRun: Bool) throws -> RotationReport {
        var keyset = before ?? Keyset(directory: directory, entries: [])
        var report = RotationReport(
            directory: directory, action: .unchanged, dryRun: dryRun, keyset: keyset, added: [], removed: [],
            promoted: nil, notes: [], warnings: [], policy: policy, now: now)
        let keys = keyset.entries(of: .jwt)
        if keys.isEmpty {
            let algorithm = policy.algorithm ?? .es256
            let active = try Keyset.newEntry(algorithm: algorithm, state: .active, now: now)
            let next = try Keyset.newEntry(algorithm: algorithm, state: .next, now: now)
            keyset.entries += [active, next]
            report.keyset = keyset
            report.added = [active, next]
            report.action = .created
            report.notes.append("created a new \(algorithm) keyset with an active key and a next key")
            return report
        }
        let active = keys.filter { $0.state == .active }
        guard active.count == 1 else {
            throw TokenError.malformedKey("keyset '\(directory)' has \(active.count) active keys; exactly one is expected")
        }
        let nextKey = keys.filter { $0.state == .next }.min { $0.created < $1.created }
        let algorithm = policy.algorithm ?? (nextKey ?? active[0]).key.algorithm ?? (nextKey ?? active[0]).key.defaultAlgorithm
        let due = policy.force || policy.rotateAfter.map { now - active[0].since >= $0 } ?? true

        if nextKey == nil {
            let next = try Keyset.newEntry(algorithm: algorithm, state: .next, now: now)
            keyset.entries.append(next)
            report.added = [next]
            report.action = .addedNext
            report.notes.append("the keyset had no next key: added \(next.kid) as next; it is published now and becomes active at the next rotation, so that no key signs before it has been published")
        } else if let nextKey, due {
            if now - nextKey.created < 3_600 {
                // An HMAC keyset publishes nothing: its verifiers hold copies of the secrets.
                let isSecret: Bool = { if case .oct = nextKey.key.type { return true } else { return false } }()
                let made = Instant.spoken(max(0, now - nextKey.created).magnitude)
                report.warnings.append(isSecret
                    ? "secret \(nextKey.kid) becomes active \(made) after it was made; verifiers holding a copy of the keyset's secrets may not have it yet"
                    : "key \(nextKey.kid) becomes active \(made) after it was published; verifiers that cache the JWKS may not know it yet")
            }
            for index in keyset.entries.indices where keyset.entries[index].kind == .jwt {
                if keyset.entries[index].kid == nextKey.kid {
                    keyset.entries[index].state = .active
                    keyset.entries[index].activated = now
                    report.promoted = keyset.entries[index]
                } else if keyset.entries[index].state == .active {
                    keyset.entries[index].state = .retiring
                    keyset.entries[index].retired = now
                }
            }
            if !keyset.entries.contains(where: { $0.kind == .jwt && $0.state == .next }) {
                let next = try Keyset.newEntry(algorithm: algorithm, state: .next, now: now)
                keyset.entries.append(next)
                report.added = [next]
            }
            report.action = .rotated
            let newAlgorithm = nextKey.key.algorithm ?? nextKey.key.defaultAlgorithm
            let oldAlgorithm = active[0].key.algorithm ?? active[0].key.defaultAlgorithm
            if newAlgorithm != oldAlgorithm {
                report.notes.append("the signing algorithm changes from \(oldAlgorithm) to \(newAlgorithm)")
            }
        }
        let signing = keyset.entries.first { $0.kind == .jwt && $0.state == .active }
        let signingAlgorithm = signing.map { $0.key.algorithm ?? $0.key.defaultAlgorithm }
        if let made = report.added.first, let signingAlgorithm, made.key.algorithm != signingAlgorithm {
            report.notes.append("the new next key uses \(algorithm), which signs from the next rotation on (the active key uses \(signingAlgorithm))")
        } else if report.added.isEmpty, let requested = policy.algorithm, let nextKey, nextKey.key.algorithm != requested {
            report.notes.append("no key was made, so \(requested) applies from the next key made")
        }

        try rotateAPIKeySecrets(&keyset, rotated: report.action == .rotated, now: now, report: &report)

        // Signing keys and API-key secrets are removed on the same schedule.
        let expired = keyset.entries.filter { entry in
            entry.state == .retiring && now - entry.since >= policy.retireAfter
        }
        if !expired.isEmpty {
            let gone = Set(expired.map(\.kid))
            keyset.entries.removeAll { $0.state == .retiring && gone.contains($0.kid) }
            report.removed = expired
            if report.action == .unchanged { report.action = .removed }
        }
        report.keyset = keyset
        return report
    }
}
