extension ClaimPolicy {
    /// Custom names that mean a registered claim, compared after lower-casing and dropping
    /// `_` and `-` (so `user_id`, `userId` and `user-id` are one name).
    static let registeredAliases: [String: String] = [
        "userid": "sub", "uid": "sub", "subject": "sub", "subjectid": "sub",
        "issuer": "iss", "audience": "aud",
        "expires": "exp", "expiresat": "exp", "expiry": "exp", "expiration": "exp", "expirationtime": "exp",
        "expiresin": "exp", "issuedat": "iat", "notbefore": "nbf", "jwtid": "jti", "tokenid": "jti",
    ]

    static func normalizedName(_ name: String) -> String {
        String(name.lowercased().filter { $0 != "_" && $0 != "-" })
    }

    /// Custom claims that repeat a registered claim by name (`user_id` next to `sub`: warning;
    /// `expires` without `exp`: info, as verifiers only check `exp`) or by value (a string or
    /// number equal to a registered claim's value: warning).
    func duplicateFindings(_ report: SizeReport) -> [Finding] {
        let registered = ClaimPolicy.registeredClaims
        var findings: [Finding] = []
        for member in report.claims.members where !registered.contains(member.name) {
            let name = member.name
            let cost = report.cost(of: name)
            if let target = ClaimPolicy.registeredAliases[ClaimPolicy.normalizedName(name)] {
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
            if let target = registered.first(where: { report.claims[$0] == member.value }) {
                findings.append(Finding(
                    rule: .duplicateClaim, severity: .warning, claim: name, bytes: cost,
                    message: "\(name) repeats the value of the registered claim \(target)",
                    fix: "remove \(name) and read \(target)"))
            }
        }
        return findings
    }
}
