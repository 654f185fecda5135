extension ClaimPolicy {
    /// Custom names that mean a registered claim, compared after lower-casing and dropping
    /// `_` and `-` (so `user_id`, `userId` and `user-id` are one name).
    static let registeredAliases: [String: String] = [
        "userid": "sub", "uid": "sub", "subject": "sub", "subjectid": "sub",
        "issuer": "iss", "audience": "aud",
        "expires": "exp", "expiresat": "exp", "expiry": "exp", "expiration": "exp", "expirationtime": "exp",
        "expiresin": "exp", "issuedat": "iat", "notbefore": "nbf", "jwtid": "jti", "tokenid": "jti",
    ]

    /// The longest key of ``registeredAliases``.
    static let longestAlias = registeredAliases.keys.map(\.utf8.count).max() ?? 0

    /// False when `name` cannot be an alias: an ASCII name longer than any alias once `_`
    /// and `-` are dropped (lower-casing ASCII keeps the length). Saves building the
    /// normalized name of most claims.
    static func mayBeAlias(_ name: String) -> Bool {
        var count = 0
        for byte in name.utf8 {
            if byte >= 0x80 { return true }
            if byte != UInt8(ascii: "_") && byte != UInt8(ascii: "-") { count += 1 }
        }
        return count <= longestAlias
    }

    static func normalizedName(_ name: String) -> String {
        // An ASCII name is lower-cased and filtered byte by byte into a small string.
        var name = name
        let ascii = name.withUTF8 { bytes -> String? in
            guard bytes.count <= 32, !bytes.contains(where: { $0 >= 0x80 }) else { return nil }
            return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { buffer in
                var count = 0
                for byte in bytes where byte != UInt8(ascii: "_") && byte != UInt8(ascii: "-") {
                    buffer[count] = byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
                    count += 1
                }
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
            }
        }
        if let ascii { return ascii }
        return String(name.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Custom claims that repeat a registered claim by name (`user_id` next to `sub`: warning;
    /// `expires` without `exp`: info, as verifiers only check `exp`) or by value (a string or
    /// number equal to a registered claim's value: warning).
    func duplicateFindings(_ report: SizeReport) -> [Finding] {
        let registered = ClaimPolicy.registeredClaims
        var findings: [Finding] = []
        // Looked up once, not once per claim (which was quadratic in the number of claims).
        // Only needed for a custom claim holding a string or number: looked up at the first.
        var registeredValues: [(name: String, value: JSONValue)]?
        let members = report.claims.members
        let costs = report.claimCosts.count == members.count
            ? report.claimCosts.map(\.bytes) : members.map { report.cost(of: $0.name) }
        for (member, cost) in zip(members, costs) where !registered.contains(member.name) {
            let name = member.name
            if ClaimPolicy.mayBeAlias(name), let target = ClaimPolicy.registeredAliases[ClaimPolicy.normalizedName(name)] {
                if let registeredValue = report.claims[target] {
                    let same = registeredValue == member.value ? "with the same value" : "with a different value, which readers will confuse"
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
            switch member.value {
            case .string(let text) where !text.isEmpty: break
            case .number: break
            default: continue
            }
            let values = registeredValues ?? registered.compactMap { name in report.claims[name].map { (name: name, value: $0) } }
            registeredValues = values
            if let target = values.first(where: { $0.value == member.value })?.name {
                findings.append(Finding(
                    rule: .duplicateClaim, severity: .warning, claim: name, bytes: cost,
                    message: "\(name) repeats the value of the registered claim \(target)",
                    fix: "remove \(name) and read \(target)"))
            }
        }
        return findings
    }
}
