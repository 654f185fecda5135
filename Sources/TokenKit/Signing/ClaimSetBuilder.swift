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
        self.claims = try JSONParser.parseObject(json, what: "the claim set", code: .malformedJSON)
    }

    /// Sets or replaces a claim; `nil` removes it.
    public mutating func set(_ name: String, _ value: JSONValue?) { claims[name] = value }

    /// Sets a claim from `NAME=VALUE` or `NAME:=JSON` text (see ``assignment(_:)``).
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` when there is no `=`, the name is empty, or
    ///   the value after `:=` is not JSON.
    public mutating func set(assignment: String) throws {
        let (name, value) = try Self.assignment(assignment)
        claims[name] = value
    }

    /// Reads a member assignment as HTTPie does: `NAME=VALUE` sets the string `VALUE`, always
    /// (`n=3` is the string "3"); `NAME:=JSON` sets the JSON value (`n:=3` is the number 3,
    /// `groups:=["a","b"]` an array). The name ends at the first `=` (and loses the `:` before it).
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` when there is no `=`, the name is empty, or
    ///   the value after `:=` is not JSON.
    public static func assignment(_ text: String) throws -> (name: String, value: JSONValue) {
        let (rawName, rawValue) = try split(assignment: text)
        guard rawName.hasSuffix(":") else { return (rawName, .string(rawValue)) }
        let name = String(rawName.dropLast())
        guard !name.isEmpty else {
            throw TokenError.invalidValue("'\(text.prefix(60))' has no name before ':='")
        }
        do {
            return (name, try JSONParser.parse(rawValue))
        } catch let error as TokenError {
            throw TokenError.invalidValue(
                "the value of \"\(name.prefix(60))\" after ':=' is not JSON (\(error.reason)); write NAME=VALUE for a "
                    + "string, or quote a JSON string as NAME:='\"text\"'")
        }
    }

    /// Splits `NAME=VALUE` at the first `=`.
    ///
    /// - Throws: ``TokenError/Code/invalidValue``.
    public static func split(assignment: String) throws -> (String, String) {
        guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
            throw TokenError.invalidValue("'\(assignment.prefix(60))' is not NAME=VALUE or NAME:=JSON")
        }
        return (String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...]))
    }

    /// Fills `iat` and `exp` when absent: `iat` is `now`, and `exp` is `lifetime` seconds
    /// after the claim set's `iat` (so a given `iat` moves the default expiry with it).
    ///
    /// - Parameters:
    ///   - now: the issue time, Unix seconds.
    ///   - lifetime: seconds until `exp`; `nil` adds no `exp` (`--no-exp`).
    /// - Returns: the names of the claims added, in the order they were appended.
    @discardableResult
    public mutating func fillDefaults(now: Int64, lifetime: Int64? = ClaimSetBuilder.defaultLifetime) -> [String] {
        var added: [String] = []
        if !claims.contains("iat") {
            claims["iat"] = .number(JSONNumber(now))
            added.append("iat")
        }
        if let lifetime, !claims.contains("exp") {
            // An iat of the wrong type is refused later (JWTClaims.checkRegisteredClaimTypes).
            let issuedAt = (try? JWTClaims(claims).numericDate("iat")).flatMap { $0 } ?? now
            claims["exp"] = .number(JSONNumber(issuedAt + lifetime))
            added.append("exp")
        }
        return added
    }
}
