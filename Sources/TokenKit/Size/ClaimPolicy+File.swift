#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A project's small-claims policy, read from a JSON file (`.tokenctl.json`), so a service
/// that needs `email` in its tokens, or a tighter budget, says so once.
///
/// ```json
/// {
///   "budget": "cookie",
///   "soft_budget": 2048,
///   "max_claims": 30,
///   "max_depth": 3,
///   "max_array_items": 32,
///   "max_string_bytes": 512,
///   "max_lifetime": "12h",
///   "allowed_claims": ["email"],
///   "severities": {"personal-data": "error", "duplicate-claim": "off"}
/// }
/// ```
/// Every member is optional; an unknown member, rule or severity is an error, so a typo
/// never silently leaves the default in force.
extension ClaimPolicy {
    /// The name of the policy file found upward from the working directory.
    public static let fileName = ".tokenctl.json"

    /// The members a policy file may have.
    public static let fileMembers = [
        "budget", "soft_budget", "max_claims", "max_depth", "max_array_items", "max_string_bytes", "max_lifetime",
        "allowed_claims", "severities",
    ]

    /// The rules whose severity a policy file may change: all but `over-budget` (set
    /// `budget` instead) and `malformed-input` (a token that cannot be sized always fails).
    public static let adjustableRules = Finding.Rule.all.filter { $0 != .overBudget && $0 != .malformedInput }

    /// Reads a policy file: the defaults, changed by the file's members.
    ///
    /// - Parameter json: the file's bytes, a JSON object.
    /// - Throws: ``TokenError/Code/malformedJSON`` for text that is not a JSON object, or for
    ///   an unknown member, rule or severity, or a value of the wrong type or range.
    public init(json: [UInt8]) throws {
        let object = try JSONParser.parseObject(json, what: "the policy file", code: .malformedJSON)
        self.init()
        func invalid(_ reason: String) -> TokenError { TokenError(.malformedJSON, "policy file: \(reason)") }
        func count(_ name: String) throws -> Int? {
            guard let value = object[name] else { return nil }
            guard let number = value.numberValue?.int64Value, number >= 0, number <= Int64(Int32.max) else {
                throw invalid("\"\(name)\" must be a whole number of at least 0, found \(value.typeNameWithArticle)")
            }
            return Int(number)
        }
        for name in object.names where !Self.fileMembers.contains(name) {
            throw invalid("unknown member \"\(name.prefix(60))\" (known: \(Self.fileMembers.joined(separator: ", ")))")
        }
        if let value = object["budget"] {
            let text = value.stringValue ?? value.numberValue?.text
            guard let text else { throw invalid("\"budget\" must be bytes (4096, \"4k\") or a limit name (\"cookie\")") }
            do {
                budget = try SizeBudget.parse(text)
            } catch let error as TokenError {
                throw invalid("\"budget\": \(error.reason)")
            }
            softBudget = min(softBudget, budget.bytes)
        }
        if let value = try count("soft_budget") { softBudget = value }
        if let value = try count("max_claims") { maxClaims = value }
        if let value = try count("max_depth") { maxDepth = value }
        if let value = try count("max_array_items") { maxArrayItems = value }
        if let value = try count("max_string_bytes") { maxStringBytes = value }
        if let value = object["max_lifetime"] {
            if let seconds = value.numberValue?.int64Value, seconds >= 0 {
                maxLifetime = seconds
            } else if let text = value.stringValue, let seconds = try? TokenDuration.parse(text) {
                maxLifetime = seconds
            } else {
                throw invalid("\"max_lifetime\" must be seconds or a duration such as \"24h\"")
            }
        }
        if let value = object["allowed_claims"] {
            guard let names = value.arrayValue?.compactMap(\.stringValue), names.count == value.arrayValue?.count else {
                throw invalid("\"allowed_claims\" must be an array of claim names")
            }
            allowedClaims = Set(names.map { $0.lowercased() })
        }
        if let value = object["severities"] {
            guard let members = value.objectValue?.members else {
                throw invalid("\"severities\" must be an object of rule ids to \"off\", \"info\", \"warning\" or \"error\"")
            }
            for member in members {
                guard let rule = Self.adjustableRules.first(where: { $0.id == member.name }) else {
                    throw invalid(
                        "unknown rule \"\(member.name.prefix(60))\" in \"severities\" (rules: "
                            + "\(Self.adjustableRules.map(\.id).joined(separator: ", ")))")
                }
                switch member.value.stringValue {
                case "off": severities[rule.id] = .some(nil)
                case let name? where Finding.Severity(rawValue: name) != nil: severities[rule.id] = Finding.Severity(rawValue: name)
                default: throw invalid("the severity of \"\(rule.id)\" must be \"off\", \"info\", \"warning\" or \"error\"")
                }
            }
        }
    }

    /// The policy file that applies in `directory`: `.tokenctl.json` there or in the nearest
    /// parent directory that has one, or `nil`.
    ///
    /// - Parameter directory: an absolute path, usually the working directory.
    public static func findFile(from directory: String) -> String? {
        var components: [Substring] = []
        for component in directory.split(separator: "/") where component != "." {
            if component == ".." { _ = components.popLast() } else { components.append(component) }
        }
        while true {
            // Appended piece by piece, through String's own Substring overload: `joined(separator:)`,
            // then the generic `+=`, each took about 0.1 million instructions of a one-shot `sign`
            // (their generic paths look up conformances at run time).
            var candidate = ""
            for component in components {
                candidate += "/"
                candidate.append(contentsOf: component)
            }
            candidate += "/" + fileName
            if FileAccess.isRegularFile(candidate) { return candidate }
            if components.isEmpty { return nil }
            components.removeLast()
        }
    }
}
