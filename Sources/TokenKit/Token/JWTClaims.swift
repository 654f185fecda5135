/// A JWT claim set (RFC 7519 §4): the payload of a JWS read as a JSON object, with typed
/// access to the registered claims.
public struct JWTClaims: Sendable, Hashable {
    /// The claims, in the token's own member order.
    public var object: JSONObject

    /// Wraps a claim set.
    public init(_ object: JSONObject) { self.object = object }

    /// Reads a payload as a claim set.
    ///
    /// - Throws: ``TokenError/Code/malformed`` when the payload is not a JSON object
    ///   (strict parsing: no duplicate members, valid UTF-8, nesting at most 64 levels).
    public init(payload: [UInt8]) throws {
        self.object = try Self.parsePayload(payload).object
    }

    /// A token's payload parsed as a claim set, as ``init(payload:)`` parses it, with the
    /// ``JSONParser/Document`` facts `decode` and the size report use.
    ///
    /// - Throws: ``TokenError/Code/malformed`` when the payload is not a JSON object.
    static func parsePayload(
        _ payload: [UInt8], recordingMembers: Bool = false
    ) throws -> (object: JSONObject, isCompact: Bool, memberSpans: [JSONParser.MemberSpan]) {
        try JSONParser.parseObjectDocument(payload, what: "payload", code: .malformed, recordingMembers: recordingMembers)
    }

    /// Whether a claim is present.
    public func contains(_ name: String) -> Bool { object.contains(name) }

    /// A NumericDate claim (`exp`, `nbf`, `iat`) in whole seconds, or `nil` when absent.
    ///
    /// A fractional NumericDate is rounded as `rounding` says: down by default; up where a
    /// comparison with a whole-second clock must be exact (`now >= exp`, `now < nbf` and
    /// `iat > now` hold for a whole `now` exactly when they hold for the value rounded up).
    /// - Throws: ``TokenError/Code/invalidClaim`` when the claim is not a number in range.
    public func numericDate(_ name: String, rounding: FloatingPointRoundingRule = .down) throws -> Int64? {
        try Self.numericDate(name, object[name], rounding: rounding)
    }

    /// ``numericDate(_:rounding:)`` of a value already looked up (`nil` when absent).
    static func numericDate(_ name: String, _ value: JSONValue?, rounding: FloatingPointRoundingRule = .down) throws -> Int64? {
        guard let value else { return nil }
        guard let seconds = Self.numericDate(of: value, rounding: rounding) else {
            let milliseconds = value.numberValue?.doubleValue.map { $0 > Double(Instant.maxSeconds) && $0 / 1000 <= Double(Instant.maxSeconds) } ?? false
            let hint = milliseconds ? " (it looks like milliseconds; a NumericDate counts seconds)" : ""
            throw TokenError(.invalidClaim, "claim \"\(name)\" must be a NumericDate (Unix seconds), found \(describe(value))\(hint)")
        }
        return seconds
    }

    /// A value read as a NumericDate (RFC 7519 §2): a finite number from ``Instant/minSeconds``
    /// to ``Instant/maxSeconds``, in whole seconds (a fraction is rounded as `rounding` says,
    /// down by default); `nil` for anything else. The one place the NumericDate range is decided.
    public static func numericDate(of value: JSONValue) -> Int64? { numericDate(of: value, rounding: .down) }

    /// An integer read as a NumericDate: itself when in range, else `nil`.
    static func numericDate(integer: Int64) -> Int64? {
        integer >= Instant.minSeconds && integer <= Instant.maxSeconds ? integer : nil
    }

    /// ``numericDate(of:rounding:)`` rounded down and up, from one reading of a whole number
    /// (the usual NumericDate, where both are the number itself).
    static func numericDateRoundedBothWays(of value: JSONValue) -> (down: Int64, up: Int64)? {
        if let integer = value.numberValue?.int64Value { return numericDate(integer: integer).map { ($0, $0) } }
        guard let down = numericDate(of: value, rounding: .down), let up = numericDate(of: value, rounding: .up) else { return nil }
        return (down, up)
    }

    /// A value read as a NumericDate, as ``numericDate(of:)``, a fraction rounded as `rounding` says.
    public static func numericDate(of value: JSONValue, rounding: FloatingPointRoundingRule) -> Int64? {
        guard let number = value.numberValue else { return nil }
        if let integer = number.int64Value { return numericDate(integer: integer) }
        guard let double = number.doubleValue, double.isFinite,
            double >= Double(Instant.minSeconds), double <= Double(Instant.maxSeconds)
        else { return nil }
        return number.int64Value ?? Int64(double.rounded(rounding))
    }

    /// A string claim, or `nil` when absent.
    ///
    /// - Throws: ``TokenError/Code/invalidClaim`` when the claim is not a string.
    public func string(_ name: String) throws -> String? { try Self.string(name, object[name]) }

    /// ``string(_:)`` of a value already looked up (`nil` when absent).
    static func string(_ name: String, _ value: JSONValue?) throws -> String? {
        guard let value else { return nil }
        guard let string = value.stringValue else {
            throw TokenError(.invalidClaim, "claim \"\(name)\" must be a string, found \(describe(value))")
        }
        return string
    }

    /// The audiences: `aud` as a string or an array of strings (RFC 7519 §4.1.3), or `nil`
    /// when absent.
    ///
    /// - Throws: ``TokenError/Code/invalidClaim`` for any other shape.
    public func audiences() throws -> [String]? { try Self.audiences(object["aud"]) }

    /// ``audiences()`` of the `aud` value already looked up (`nil` when absent).
    static func audiences(_ value: JSONValue?) throws -> [String]? {
        guard let value else { return nil }
        if let single = value.stringValue { return [single] }
        if let array = value.arrayValue {
            let strings = array.compactMap(\.stringValue)
            if strings.count == array.count { return strings }
        }
        throw TokenError(.invalidClaim, "claim \"aud\" must be a string or an array of strings, found \(describe(value))")
    }

    private static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return "a string (\"\(text.prefix(40))\")"
        case .number(let number): return "\(number.text)"
        default: return "\(value.typeNameWithArticle)"
        }
    }
}
