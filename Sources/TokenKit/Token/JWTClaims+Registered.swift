/// The rules RFC 7519 §4.1 fixes for the registered claims, shared by signing and verifying.
extension JWTClaims {
    /// The registered claims whose type RFC 7519 §4.1 fixes: `iss`, `sub`, `jti` (strings),
    /// `aud` (a string or an array of strings), `exp`, `nbf`, `iat` (NumericDate).
    public static let typedClaimNames = ["iss", "sub", "aud", "exp", "nbf", "iat", "jti"]

    /// Checks the types of the registered claims present (RFC 7519 §4.1): `iss`, `sub` and
    /// `jti` are strings; `aud` is a string or an array of strings; `exp`, `nbf` and `iat` are
    /// NumericDates (finite numbers between year 1 and year 9999, ``Instant/minSeconds`` to
    /// ``Instant/maxSeconds``). Absent claims are not checked. The one place these types are
    /// checked: a signer refuses such a claim set, a verifier rejects such a token.
    ///
    /// - Throws: ``TokenError/Code/invalidClaim`` naming the first claim of the wrong type.
    public func checkRegisteredClaimTypes() throws { try registered.checkTypes() }

    /// The values of the registered claims whose type RFC 7519 fixes, each `nil` when absent:
    /// taken from a parsed claim set, or read from the payload in place (``init(inPlace:)``),
    /// where a value is made only when a check reads it.
    struct Registered {
        /// The values as a parsed claim set holds them.
        struct Values {
            var iss, sub, aud, exp, nbf, iat, jti: JSONValue?
        }

        /// The parsed values, in a box of their own (the struct stays under 128 bytes, which
        /// the compiler copies with a few moves rather than a `memcpy` call); `nil` when read
        /// in place.
        private let parsed: Box?
        private final class Box {
            let values: Values
            init(_ values: Values) { self.values = values }
        }
        /// The payload read in place, lent by the caller, and where each claim's value is in it
        /// (every kind string, number or array of strings: ``init(inPlace:)`` refuses the rest).
        /// Stored beside each other rather than in an enum, so that reading a span copies no `Claims`.
        private let payload: UnsafeBufferPointer<UInt8>
        private let spans: JSONClaimScanner.Claims

        /// A registered claim's name.
        private enum Name: String { case iss, sub, aud, exp, nbf, iat, jti }

        /// The registered claims of a parsed claim set.
        init(_ values: Values) {
            parsed = Box(values)
            payload = UnsafeBufferPointer(start: nil, count: 0)
            spans = JSONClaimScanner.Claims()
        }

        var iss: JSONValue? { value(.iss) }
        var sub: JSONValue? { value(.sub) }
        var aud: JSONValue? { value(.aud) }
        var exp: JSONValue? { value(.exp) }
        var nbf: JSONValue? { value(.nbf) }
        var iat: JSONValue? { value(.iat) }
        var jti: JSONValue? { value(.jti) }

        /// ``JWTClaims/checkRegisteredClaimTypes()`` on these values: the first claim of the
        /// wrong type, in the order `iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`.
        func checkTypes() throws { _ = try checkTypes(rounding: .down) }

        /// ``checkTypes()``, giving `exp`, `nbf` and `iat` in whole seconds as well (a fraction
        /// rounded as `rounding` says), so that each is read once. A value read in place whose
        /// kind is already right (a string `iss`, say) is not made for the check.
        func checkTypes(rounding: FloatingPointRoundingRule) throws -> (exp: Int64?, nbf: Int64?, iat: Int64?) {
            if !isInPlace(.iss, .string) { _ = try JWTClaims.string("iss", iss) }
            if !isInPlace(.sub, .string) { _ = try JWTClaims.string("sub", sub) }
            if !isInPlace(.aud, .string), !isInPlace(.aud, .stringArray), let aud, aud.stringValue == nil {
                _ = try JWTClaims.audiences(aud)
            }
            let expiration = try numericDate(.exp, rounding: rounding)
            let notBefore = try numericDate(.nbf, rounding: rounding)
            let issuedAt = try numericDate(.iat, rounding: rounding)
            if !isInPlace(.jti, .string) { _ = try JWTClaims.string("jti", jti) }
            return (expiration, notBefore, issuedAt)
        }

        /// A NumericDate claim in whole seconds (``JWTClaims/numericDate(_:_:rounding:)``): an
        /// integer in range read in place takes no value; anything else is decided on its value.
        private func numericDate(_ name: Name, rounding: FloatingPointRoundingRule) throws -> Int64? {
            if let span = span(name), span.kind == .number,
                let integer = JSONNumber.int64Value(UnsafeBufferPointer(rebasing: payload[span.start..<span.end])),
                let seconds = JWTClaims.numericDate(integer: integer)
            {
                return seconds
            }
            return try JWTClaims.numericDate(name.rawValue, value(name), rounding: rounding)
        }

        /// Whether `aud` is one string equal, byte for byte, to one of `candidates` (the usual
        /// case of an audience check, decided without building the list of audiences). A string
        /// read in place is compared where it lies, without making a `String` (the scanner gives
        /// that kind only to a string without escapes, so its bytes are its value).
        func isSingleAudience(in candidates: [String]) -> Bool {
            if let span = span(.aud), span.kind == .string {
                let value = UnsafeBufferPointer(rebasing: payload[span.start + 1..<span.end - 1])
                return candidates.contains { candidate in candidate.withUTF8Bytes { sameBytes($0, value) } }
            }
            guard case .string(let single) = aud else { return false }
            return candidates.containsBytes(of: single)
        }

        /// Whether the claim was read in place and is of `kind` (a value of the right kind
        /// needs no check, hence need not be made).
        private func isInPlace(_ name: Name, _ kind: JSONClaimScanner.Kind) -> Bool { span(name)?.kind == kind }

        /// A claim's value: the parsed one, or the one made from its place in the payload.
        private func value(_ name: Name) -> JSONValue? {
            if let values = parsed?.values {
                switch name {
                case .iss: return values.iss
                case .sub: return values.sub
                case .aud: return values.aud
                case .exp: return values.exp
                case .nbf: return values.nbf
                case .iat: return values.iat
                case .jti: return values.jti
                }
            }
            guard let found = span(name) else { return nil }
            return Self.value(found, in: payload)
        }

        /// Where a claim read in place is; `nil` when absent, and always for a parsed claim set
        /// (its spans are empty).
        private func span(_ name: Name) -> JSONClaimScanner.Span? {
            switch name {
            case .iss: spans.iss
            case .sub: spans.sub
            case .aud: spans.aud
            case .exp: spans.exp
            case .nbf: spans.nbf
            case .iat: spans.iat
            case .jti: spans.jti
            }
        }
    }

    /// The registered claims, found in one pass over the members (names compared as UTF-8
    /// bytes), instead of a lookup of each name for each check.
    var registered: Registered {
        var found = Registered.Values()
        for member in object.members {
            let name = member.name
            guard name.utf8.count == 3 else { continue }
            let key = name.withUTF8Bytes { UInt32($0[0]) << 16 | UInt32($0[1]) << 8 | UInt32($0[2]) }
            switch key {
            case Self.key("iss"): found.iss = member.value
            case Self.key("sub"): found.sub = member.value
            case Self.key("aud"): found.aud = member.value
            case Self.key("exp"): found.exp = member.value
            case Self.key("nbf"): found.nbf = member.value
            case Self.key("iat"): found.iat = member.value
            case Self.key("jti"): found.jti = member.value
            default: continue
            }
        }
        return Registered(found)
    }

    /// A three-letter ASCII name as one number.
    private static func key(_ name: StaticString) -> UInt32 {
        let bytes = name.utf8Start
        return UInt32(bytes[0]) << 16 | UInt32(bytes[1]) << 8 | UInt32(bytes[2])
    }

    /// Checks that a token with these claims could be valid when it is signed at `now`:
    /// `exp`, when present, is after `iat` (when present) and after `now`, and `nbf`, when
    /// present with `exp`, is before `exp`. A signer refuses a claim set that fails, unless
    /// asked for such a token on purpose (a test fixture).
    ///
    /// - Parameter now: the signing time, Unix seconds.
    /// - Throws: ``TokenError/Code/invalidClaim`` saying which instants were computed (RFC 3339),
    ///   or for a registered claim of the wrong type (``checkRegisteredClaimTypes()``).
    public func checkValidityWindow(now: Int64) throws {
        let expiration = try numericDate("exp")
        let notBefore = try numericDate("nbf")
        let issuedAt = try numericDate("iat")
        guard let expiration else { return }
        func shown(_ name: String, _ seconds: Int64) -> String { "\(name) \(Instant.rfc3339(seconds)) (\(seconds))" }
        if let issuedAt, expiration <= issuedAt {
            throw TokenError(
                .invalidClaim,
                "\(shown("exp", expiration)) is not after \(shown("iat", issuedAt)): the token would never be valid")
        }
        if let notBefore, notBefore >= expiration {
            throw TokenError(
                .invalidClaim,
                "\(shown("nbf", notBefore)) is not before \(shown("exp", expiration)): the token would never be valid")
        }
        if expiration <= now {
            throw TokenError(
                .invalidClaim,
                "\(shown("exp", expiration)) is not after now (\(Instant.rfc3339(now))): the token would already be "
                    + "expired, \(Instant.relative(expiration, now: now))")
        }
    }
}

extension JWTClaims.Registered {
    /// The registered claims of a payload read in place by ``JSONClaimScanner``, each value
    /// the one ``JSONParser`` would give, made when read; `nil` when the scanner cannot vouch
    /// for the payload (not compact, or anything it leaves to the parser) or a registered
    /// claim is not a string, a number or an array of strings (the caller then parses the
    /// payload).
    ///
    /// The claims borrow `payload`: use them only while its bytes are lent.
    init?(inPlace payload: UnsafeBufferPointer<UInt8>) {
        guard let spans = JSONClaimScanner.scan(payload) else { return nil }
        func isUsable(_ span: JSONClaimScanner.Span?) -> Bool { span?.kind != .other }
        guard isUsable(spans.iss), isUsable(spans.sub), isUsable(spans.aud), isUsable(spans.exp), isUsable(spans.nbf),
            isUsable(spans.iat), isUsable(spans.jti)
        else { return nil }
        self.parsed = nil
        self.payload = payload
        self.spans = spans
    }

    /// The value at `span` in a payload the scanner accepted.
    private static func value(_ span: JSONClaimScanner.Span, in payload: UnsafeBufferPointer<UInt8>) -> JSONValue? {
        switch span.kind {
        case .string:
            return .string(String(decoding: UnsafeBufferPointer(rebasing: payload[span.start + 1..<span.end - 1]), as: UTF8.self))
        case .number:
            return .number(JSONNumber(validatedText: String(decoding: UnsafeBufferPointer(rebasing: payload[span.start..<span.end]), as: UTF8.self)))
        case .stringArray:
            // Compact strings without escapes: each runs from a quote to the next quote.
            var elements: [JSONValue] = []
            var index = span.start + 1
            while payload[index] == UInt8(ascii: "\"") {
                var end = index + 1
                while payload[end] != UInt8(ascii: "\"") { end += 1 }
                elements.append(.string(String(decoding: UnsafeBufferPointer(rebasing: payload[index + 1..<end]), as: UTF8.self)))
                index = end + 2  // past the closing quote and the comma or `]`
            }
            return .array(elements)
        case .other:
            return nil
        }
    }
}
