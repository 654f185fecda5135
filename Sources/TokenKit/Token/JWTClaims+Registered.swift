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

    /// The values of the registered claims whose type RFC 7519 fixes, each `nil` when absent.
    struct Registered {
        var iss, sub, aud, exp, nbf, iat, jti: JSONValue?

        /// ``JWTClaims/checkRegisteredClaimTypes()`` on these values: the first claim of the
        /// wrong type, in the order `iss`, `sub`, `aud`, `exp`, `nbf`, `iat`, `jti`.
        func checkTypes() throws { _ = try checkTypes(rounding: .down) }

        /// ``checkTypes()``, giving `exp`, `nbf` and `iat` in whole seconds as well (a fraction
        /// rounded as `rounding` says), so that each is read once.
        func checkTypes(rounding: FloatingPointRoundingRule) throws -> (exp: Int64?, nbf: Int64?, iat: Int64?) {
            _ = try JWTClaims.string("iss", iss)
            _ = try JWTClaims.string("sub", sub)
            if let aud, aud.stringValue == nil { _ = try JWTClaims.audiences(aud) }
            let expiration = try JWTClaims.numericDate("exp", exp, rounding: rounding)
            let notBefore = try JWTClaims.numericDate("nbf", nbf, rounding: rounding)
            let issuedAt = try JWTClaims.numericDate("iat", iat, rounding: rounding)
            _ = try JWTClaims.string("jti", jti)
            return (expiration, notBefore, issuedAt)
        }
    }

    /// The registered claims, found in one pass over the members (names compared as UTF-8
    /// bytes), instead of a lookup of each name for each check.
    var registered: Registered {
        var found = Registered()
        for member in object.members {
            var name = member.name
            guard name.utf8.count == 3 else { continue }
            let key = name.withUTF8 { UInt32($0[0]) << 16 | UInt32($0[1]) << 8 | UInt32($0[2]) }
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
        return found
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
    /// the one ``JSONParser`` would give; `nil` when the scanner cannot vouch for the payload
    /// (not compact, or anything it leaves to the parser) or a registered claim is not a
    /// string, a number or an array of strings (the caller then parses the payload).
    init?(inPlace payload: UnsafeBufferPointer<UInt8>) {
        guard let spans = JSONClaimScanner.scan(payload) else { return nil }
        func value(_ span: JSONClaimScanner.Span?) -> JSONValue?? {
            guard let span else { return .some(nil) }
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
        guard let iss = value(spans.iss), let sub = value(spans.sub), let aud = value(spans.aud),
            let exp = value(spans.exp), let nbf = value(spans.nbf), let iat = value(spans.iat), let jti = value(spans.jti)
        else { return nil }
        self.init(iss: iss, sub: sub, aud: aud, exp: exp, nbf: nbf, iat: iat, jti: jti)
    }
}
