import TokenKit

/// The text and JSON forms of a ``RotationReport``: kids, algorithms, states and times, never
/// key material.
enum RotationRender {
    /// The human summary: what happened, one line per key (newest first), what was removed,
    /// the published kids and when the next rotation is due.
    static func text(_ report: RotationReport) -> String {
        var lines = [headline(report)]
        let added = Set(report.added.map(\.kid))
        for entry in ordered(report.keyset.entries(of: .jwt)) {
            var line = "  " + pad(entry.state.rawValue, 9) + entry.kid + "  " + entry.algorithmName + "  "
            line += added.contains(entry.kid) ? "added" : describe(entry, report)
            lines.append(line)
        }
        for entry in report.removed where entry.kind == .jwt {
            lines.append("  " + pad("removed", 9) + entry.kid + "  " + entry.algorithmName)
        }
        lines += apiKeySecretLines(report, added: added)
        let published = report.publishedKids
        lines.append("published: " + (published.isEmpty ? "none (HMAC secrets are never published)" : published.joined(separator: " ")))
        if let due = report.nextRotation {
            lines.append("next rotation due \(Instant.rfc3339(due)) (\(Instant.relative(due, now: report.now)))")
        } else {
            lines.append("next rotation: at the next run (no --rotate-after given)")
        }
        lines += report.notes.map { "note: " + $0 }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same as one JSON document.
    static func json(_ report: RotationReport) -> JSONObject {
        var object = JSONObject()
        object["keyset"] = .string(report.directory)
        object["action"] = .string(report.action.rawValue)
        object["changed"] = .bool(report.changed)
        object["dry_run"] = .bool(report.dryRun)
        object["now"] = .number(JSONNumber(report.now))
        object["active"] = report.active.map { .string($0.kid) } ?? .null
        object["published"] = .array(report.publishedKids.map(JSONValue.string))
        object["added"] = .array(report.added.map { .object(summary($0)) })
        object["removed"] = .array(report.removed.map { .object(summary($0)) })
        object["keys"] = .array(ordered(report.keyset.entries(of: .jwt)).map { entry in
            var key = summary(entry)
            key["since"] = .number(JSONNumber(entry.since))
            key["age_seconds"] = .number(JSONNumber(max(0, report.now - entry.since)))
            if let due = report.removalDue(of: entry) { key["removal_due"] = .number(JSONNumber(due)) }
            return .object(key)
        })
        object["api_key_secrets"] = .array(ordered(report.keyset.entries(of: .apiKeySecret)).map { entry in
            var secret = JSONObject([("id", .string(entry.kid)), ("state", .string(entry.state.rawValue))])
            secret["since"] = .number(JSONNumber(entry.since))
            secret["age_seconds"] = .number(JSONNumber(max(0, report.now - entry.since)))
            if let due = report.removalDue(of: entry) { secret["removal_due"] = .number(JSONNumber(due)) }
            return .object(secret)
        })
        object["next_rotation"] = report.nextRotation.map { .number(JSONNumber($0)) } ?? .null
        object["rotate_after"] = report.policy.rotateAfter.map { .number(JSONNumber($0)) } ?? .null
        object["retire_after"] = .number(JSONNumber(report.policy.retireAfter))
        object["notes"] = .array(report.notes.map(JSONValue.string))
        object["warnings"] = .array(report.warnings.map(JSONValue.string))
        return object
    }

    private static func headline(_ report: RotationReport) -> String {
        let directory = report.directory
        if report.action == .status { return "keyset \(directory)" }
        let (done, would): (String, String)
        switch report.action {
        case .created: (done, would) = ("created keyset", "create keyset")
        case .addedNext: (done, would) = ("added a next key to keyset", "add a next key to keyset")
        case .rotated: (done, would) = ("rotated keyset", "rotate keyset")
        case .removed: (done, would) = ("removed retired keys from keyset", "remove retired keys from keyset")
        case .republished: (done, would) = ("republished the public keys of keyset", "republish the public keys of keyset")
        case .unchanged, .status:
            let reason = report.active.map { " (the active key has been active for \(Instant.spoken(max(0, report.now - $0.since).magnitude)))" } ?? ""
            return "nothing to do for keyset \(directory)\(reason)"
        }
        return report.dryRun ? "dry run, nothing written: would \(would) \(directory)" : "\(done) \(directory)"
    }

    private static func describe(_ entry: Keyset.Entry, _ report: RotationReport) -> String {
        let age = Instant.spoken(max(0, report.now - entry.since).magnitude)
        switch entry.state {
        case .next: return "published \(age) ago (since \(Instant.rfc3339(entry.since)))"
        case .active: return "active for \(age) (since \(Instant.rfc3339(entry.since)))"
        case .retiring:
            let due = report.removalDue(of: entry) ?? entry.since
            return "retiring for \(age), removal due \(Instant.rfc3339(due)) (\(Instant.relative(due, now: report.now)))"
        }
    }

    /// A key's kid, algorithm and state; an API-key secret's id, kind and state (no material).
    private static func summary(_ entry: Keyset.Entry) -> JSONObject {
        if entry.kind == .apiKeySecret {
            return JSONObject([
                ("kid", .string(entry.kid)), ("kind", .string(entry.kind.rawValue)), ("state", .string(entry.state.rawValue)),
            ])
        }
        return JSONObject([
            ("kid", .string(entry.kid)), ("alg", .string(entry.algorithmName)), ("state", .string(entry.state.rawValue)),
        ])
    }

    /// The API-key secrets, by id and state (their bytes never), after the signing keys.
    private static func apiKeySecretLines(_ report: RotationReport, added: Set<String>) -> [String] {
        let secrets = ordered(report.keyset.entries(of: .apiKeySecret))
        let removed = report.removed.filter { $0.kind == .apiKeySecret }
        guard !secrets.isEmpty || !removed.isEmpty else { return [] }
        var lines = ["API-key secrets (in \(Keyset.privateFileName) only, never published):"]
        for entry in secrets {
            lines.append("  " + pad(entry.state.rawValue, 9) + entry.kid + "  " + (added.contains(entry.kid) ? "added" : describe(entry, report)))
        }
        for entry in removed { lines.append("  " + pad("removed", 9) + entry.kid) }
        return lines
    }

    /// next, then active, then retiring (newest first).
    private static func ordered(_ entries: [Keyset.Entry]) -> [Keyset.Entry] {
        let rank: [Keyset.State: Int] = [.next: 0, .active: 1, .retiring: 2]
        return entries.enumerated().sorted { lhs, rhs in
            let (left, right) = (rank[lhs.element.state] ?? 3, rank[rhs.element.state] ?? 3)
            return left != right ? left < right : lhs.offset < rhs.offset
        }.map(\.element)
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: max(1, width - text.count))
    }
}
