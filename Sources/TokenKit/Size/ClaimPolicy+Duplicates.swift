extension ClaimPolicy {
    /// A custom name that means a registered claim.
    struct Alias {
        /// The name, compared after lower-casing and dropping `_` and `-` (so `user_id`,
        /// `userId` and `user-id` are one name).
        let name: String
        /// The registered claim it means.
        let claim: String
    }

    /// Custom names that mean a registered claim. A list searched in turn rather than a
    /// dictionary: the first dictionary of a one-shot `sign` cost it a run-time conformance
    /// look-up (about 1 % of its instructions).
    static let registeredAliases: [Alias] = [
        Alias(name: "userid", claim: "sub"), Alias(name: "uid", claim: "sub"), Alias(name: "subject", claim: "sub"),
        Alias(name: "subjectid", claim: "sub"), Alias(name: "issuer", claim: "iss"), Alias(name: "audience", claim: "aud"),
        Alias(name: "expires", claim: "exp"), Alias(name: "expiresat", claim: "exp"), Alias(name: "expiry", claim: "exp"),
        Alias(name: "expiration", claim: "exp"), Alias(name: "expirationtime", claim: "exp"),
        Alias(name: "expiresin", claim: "exp"), Alias(name: "issuedat", claim: "iat"), Alias(name: "notbefore", claim: "nbf"),
        Alias(name: "jwtid", claim: "jti"), Alias(name: "tokenid", claim: "jti"),
    ]

    /// The names of ``registeredAliases``, packed, in the same order (searched without
    /// copying each alias's strings).
    private static let packedAliasNames = registeredAliases.map { PackedName($0.name) }

    /// The registered claim a custom claim name means, or `nil`.
    static func registeredClaim(forAlias name: String) -> String? {
        // An ASCII name is normalized byte by byte into a packed name (an alias has at most
        // PackedName.maxByteCount bytes); for ASCII, bytes and `String`'s `==` agree.
        let ascii = name.withUTF8Bytes { bytes -> String?? in
            var normalized = PackedName()
            for byte in bytes where byte != UInt8(ascii: "_") && byte != UInt8(ascii: "-") {
                if byte >= 0x80 { return .none }
                let lower = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                if !normalized.append(lower) { return .some(nil) }  // longer than any alias
            }
            return .some(packedAliasNames.firstIndex(of: normalized).map { registeredAliases[$0].claim })
        }
        if let ascii { return ascii }
        // A name with other letters: lower-cased as Unicode, compared as `String`s (the
        // Kelvin sign lower-cases to "k").
        let normalized = String(name.lowercased().filter { $0 != "_" && $0 != "-" })
        return registeredAliases.first { $0.name == normalized }?.claim
    }

    /// Appends the findings for custom claims that repeat a registered claim by name (`user_id`
    /// next to `sub`: warning; `expires` without `exp`: info, as verifiers only check `exp`) or
    /// by value (a string or number equal to a registered claim's value: warning).
    func appendDuplicateFindings(_ report: SizeReport, to findings: inout [Finding]) {
        // Looked up once, not once per claim (which was quadratic in the number of claims).
        // Only needed for a custom claim holding a string or number: looked up at the first.
        var registeredValues: [(name: String, value: JSONValue)]?
        // By index: a value is read (copied, or parsed from its text) only when a rule needs it.
        for index in 0..<report.claimCount where !report.registeredPositions.isRegistered(at: index) {
            let name = report.claimName(at: index)
            let cost = report.cost(ofMemberAt: index)
            if let target = ClaimPolicy.registeredClaim(forAlias: name) {
                if let claim = RegisteredClaimPositions.Claim(target), let registeredValue = report.registeredClaim(claim)?.value {
                    let same =
                        registeredValue == report.claimValue(at: index)
                        ? "with the same value" : "with a different value, which readers will confuse"
                    findings.append(Finding(
                        rule: .duplicateClaim, severity: .warning, claim: name, bytes: cost,
                        message: "\(name) repeats the registered claim \(target) \(same)",
                        fix: "remove \(name) and read \(target)"))
                } else {
                    findings.append(Finding(
                        rule: .duplicateClaim, severity: .info, claim: name, bytes: cost,
                        message: "\(name) stands in for the registered claim \(target), which verifiers check and \(name) they do not",
                        fix: "rename \(name) to \(target)"))
                }
                continue
            }
            guard report.claimIsComparableScalar(at: index) else { continue }
            let value = report.claimValue(at: index)
            let values =
                registeredValues
                ?? RegisteredClaimPositions.Claim.allCases.compactMap { claim in
                    report.registeredClaim(claim).map { (name: claim.name, value: $0.value) }
                }
            registeredValues = values
            if let target = values.first(where: { $0.value == value })?.name {
                findings.append(Finding(
                    rule: .duplicateClaim, severity: .warning, claim: name, bytes: cost,
                    message: "\(name) repeats the value of the registered claim \(target)",
                    fix: "remove \(name) and read \(target)"))
            }
        }
    }
}
