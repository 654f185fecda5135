extension KeysetRotation {
    /// Rotates a keyset's API-key secrets with its signing keys, when it has any (a keyset
    /// gets its first secrets when the first keyset-bound key is minted).
    ///
    /// When the signing keys rotate, the next secret becomes active and the active one
    /// retiring, and a new next secret is made: keys minted with the retiring secret still
    /// verify until it is removed, with the retiring signing keys, after
    /// ``RotationPolicy/retireAfter``. A keyset whose secrets have no next one gets one
    /// (recorded in the report as added), and its secrets rotate from the following rotation
    /// on, so that no secret mints before every copy of the keyset holds it.
    ///
    /// - Parameters:
    ///   - keyset: the keyset being planned, changed in place.
    ///   - rotated: whether the signing keys rotated in this run.
    ///   - now: the current time, Unix seconds.
    ///   - report: gains the secrets added and a note when a next secret was missing.
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    static func rotateAPIKeySecrets(_ keyset: inout Keyset, rotated: Bool, now: Int64, report: inout RotationReport) throws {
        let secrets = keyset.entries(of: .apiKeySecret)
        guard !secrets.isEmpty else { return }
        let next = secrets.filter { $0.state == .next }.min { $0.created < $1.created }
        if rotated, let next {
            for index in keyset.entries.indices where keyset.entries[index].kind == .apiKeySecret {
                if keyset.entries[index].kid == next.kid {
                    keyset.entries[index].state = .active
                    keyset.entries[index].activated = now
                } else if keyset.entries[index].state == .active {
                    keyset.entries[index].state = .retiring
                    keyset.entries[index].retired = now
                }
            }
        }
        guard !keyset.entries.contains(where: { $0.kind == .apiKeySecret && $0.state == .next }) else { return }
        let made = try Keyset.newAPIKeySecretEntry(state: .next, now: now, avoiding: keyset.entries.map(\.kid))
        keyset.entries.append(made)
        report.added.append(made)
        if next == nil {
            report.notes.append("the keyset had no next API-key secret: added \(made.kid) as next; API-key secrets rotate from the next rotation on, so that no secret mints before every copy of the keyset holds it")
            if report.action == .unchanged { report.action = .addedNext }
        }
    }
}
