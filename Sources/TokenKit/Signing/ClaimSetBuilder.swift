/// Assembles the claim set `sign` mints: claims from a file or JSON text first, then the
/// claim flags (a flag replaces the same claim from the file), then defaults that fill only
/// claims still absent (`iat` now, `exp` fifteen minutes later).
public struct ClaimSetBuilder: Sendable {
    /// The default token lifetime: 15 minutes. Short-lived tokens need no revocation list.
    public static let defaultLifetime: Int64 = 15 * 60

    /// The claims so far, in order.
    public private(set) var claims: JSONObject

    /// Starts from base claims (for example `--claims @file.json`).
    public init(base: JSONObject = JSONObject()) { self.claims = base }

    /// Reads base claims from JSON text.
    ///
    /// - Throws: ``TokenError/Code/malformedJSON`` when the text is not a JSON object.
    public init(json: [UInt8]) throws {
        self.claims = try JSONParser.parseObject(json, what: "the claims", code: .malformedJSON)
    }

    /// Sets or replaces a claim; `nil` removes it.
    public mutating func set(_ name: String, _ value: JSONValue?) { claims[name] = value }

    /// Sets a claim from `NAME=VALUE` text (`-c/--claim`): the value is JSON when it parses as
    /// JSON, else the text as a string (`role=admin` is a string, `n=3` a number, `r=["a"]` an array).
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` when there is no `=` or the name is empty.
    public mutating func set(assignment: String) throws {
        let (name, value) = try Self.split(assignment: assignment)
        claims[name] = Self.value(fromArgument: value)
    }

    /// Splits `NAME=VALUE` at the first `=`.
    ///
    /// - Throws: ``TokenError/Code/invalidValue``.
    public static func split(assignment: String) throws -> (String, String) {
        guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
            throw TokenError.invalidValue("'\(assignment.prefix(60))' is not NAME=VALUE")
        }
        return (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
    }

    /// A command-line value read as JSON when it parses, else as a string.
    public static func value(fromArgument text: String) -> JSONValue {
        (try? JSONParser.parse(text)) ?? .string(text)
    }

    /// Fills `iat` and `exp` when absent: `iat` is `now`, and `exp` is `lifetime` seconds
    /// after the claim set's `iat` (so a given `iat` moves the default expiry with it).
    ///
    /// - Parameters:
    ///   - now: the issue time, Unix seconds.
    ///   - lifetime: seconds until `exp`; `nil` adds no `exp` (`--no-exp`).
    public mutating func fillDefaults(now: Int64, lifetime: Int64?) {
        if !claims.contains("iat") { claims["iat"] = .number(JSONNumber(now)) }
        if let lifetime, !claims.contains("exp") {
            let issuedAt = claims["iat"]?.numberValue?.int64Value ?? now
            claims["exp"] = .number(JSONNumber(issuedAt + lifetime))
        }
    }
}
