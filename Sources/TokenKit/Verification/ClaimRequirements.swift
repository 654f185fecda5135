/// What a valid token's claims must satisfy, beyond its signature (RFC 7519 §4.1, RFC 8725 §3.8–3.11).
public struct ClaimRequirements: Sendable {
    /// The current time, Unix seconds. Injected so that scripts and tests are reproducible.
    public var now: Int64
    /// Seconds of clock skew tolerated for `exp`, `nbf`, `iat` and max age.
    public var leeway: Int64 = 0
    /// Whether a token without `exp` is rejected (the default; remedy ``TokenError/Remedy/allowMissingExpiration``).
    public var requireExpiration = true
    /// The exact issuer required, if any (compared whole, never as a substring).
    public var issuer: String?
    /// Audiences of which the token's `aud` must contain at least one, if any.
    public var audiences: [String] = []
    /// Whether the audience check is skipped. Otherwise a token with an `aud` claim is
    /// rejected when ``audiences`` is empty: RFC 7519 §4.1.3 says a principal that does not
    /// identify with a value in `aud` MUST reject the token.
    public var ignoreAudience = false
    /// The exact subject required, if any.
    public var subject: String?
    /// The `typ` header required, if any (compared case-insensitively, `application/` optional, RFC 7515 §4.1.9).
    public var type: String?
    /// Claims that must be present.
    public var requiredClaims: [String] = []
    /// The maximum age in seconds, counted from `iat` (which then becomes required).
    public var maxAge: Int64?
    /// Revoked token ids: a token whose `jti` is listed is rejected.
    public var revokedIDs = RevocationList()

    /// Requirements at `now` with the defaults: `exp` required, no leeway, nothing else.
    public init(now: Int64) { self.now = now }

    /// Checks a token's header and claims.
    ///
    /// - Throws: the first failing check's ``TokenError``: `expired`, `not_yet_valid`,
    ///   `issued_in_future`, `too_old`, `missing_claim`, `invalid_claim`, `issuer_mismatch`,
    ///   `audience_mismatch`, `subject_mismatch`, `type_mismatch`, `revoked`.
    public func check(header: JSONObject, claims: JWTClaims) throws {
        // The registered claims are found once; each rule below reads them from here.
        try check(header: header, registered: claims.registered, hasClaim: claims.contains)
    }

    /// ``check(header:claims:)`` on the registered claims already found, `hasClaim` telling
    /// whether the claim set has a member (for ``requiredClaims``).
    func check(header: JSONObject, registered: JWTClaims.Registered, hasClaim: (String) -> Bool) throws {
        // Rounded up, a fractional time compares with the whole-second clock exactly (RFC 7519
        // allows fractions): exp 10.5 is still valid at 10, nbf 10.5 not yet valid at 10.
        let (expiration, notBefore, issuedAt) = try registered.checkTypes(rounding: .up)
        if let expiration {
            if now >= expiration + leeway {
                throw TokenError(.expired, "token expired \(Instant.relative(expiration, now: now)) (exp \(Instant.rfc3339(expiration)))")
            }
        } else if requireExpiration {
            throw TokenError(
                .missingClaim, "token has no \"exp\" claim: it would never expire", remedy: .allowMissingExpiration)
        }
        if let notBefore, now + leeway < notBefore {
            throw TokenError(.notYetValid, "token is not valid until \(Instant.rfc3339(notBefore)) (\(Instant.relative(notBefore, now: now)))")
        }
        if let issuedAt, issuedAt > now + leeway {
            throw TokenError(.issuedInFuture, "token was issued in the future (iat \(Instant.rfc3339(issuedAt)), \(Instant.relative(issuedAt, now: now)))")
        }
        if let maxAge {
            // The age from iat counts whole seconds elapsed: iat rounded down.
            guard let issuedAt = try JWTClaims.numericDate("iat", registered.iat) else {
                throw TokenError(.missingClaim, "token has no \"iat\" claim, which a maximum age needs")
            }
            if now - issuedAt > maxAge + leeway {
                throw TokenError(.tooOld, "token was issued \(Instant.relative(issuedAt, now: now)), over the maximum age of \(TokenDuration.format(maxAge))")
            }
        }
        for name in requiredClaims where !hasClaim(name) {
            throw TokenError(.missingClaim, "token has no \"\(name)\" claim")
        }
        if let issuer {
            guard let actual = try JWTClaims.string("iss", registered.iss) else { throw TokenError(.missingClaim, "token has no \"iss\" claim") }
            if !actual.isByteEqual(to: issuer) {
                throw TokenError(.issuerMismatch, "issuer \"\(actual.prefix(100))\" is not \"\(issuer)\"\(actual.byteMismatchNote(issuer))")
            }
        }
        if !ignoreAudience, audiences.isEmpty, let actual = try JWTClaims.audiences(registered.aud) {
            let shown = actual.prefix(5).map { "\"\($0.prefix(60))\"" }.joined(separator: ", ")
            throw TokenError(
                .audienceMismatch, "token is meant for audience [\(shown)], and no expected audience was given",
                remedy: .nameExpectedAudience)
        }
        if !ignoreAudience, !audiences.isEmpty, !registered.isSingleAudience(in: audiences) {
            guard let actual = try JWTClaims.audiences(registered.aud) else { throw TokenError(.missingClaim, "token has no \"aud\" claim") }
            if !actual.contains(where: audiences.containsBytes) {
                let shown = actual.prefix(5).map { "\"\($0.prefix(60))\"" }.joined(separator: ", ")
                throw TokenError(.audienceMismatch, "audience [\(shown)] does not include \(audiences.map { "\"\($0)\"" }.joined(separator: " or "))")
            }
        }
        if let subject {
            guard let actual = try JWTClaims.string("sub", registered.sub) else { throw TokenError(.missingClaim, "token has no \"sub\" claim") }
            if !actual.isByteEqual(to: subject) {
                throw TokenError(.subjectMismatch, "subject \"\(actual.prefix(100))\" is not \"\(subject)\"\(actual.byteMismatchNote(subject))")
            }
        }
        if let type {
            let actual = header["typ"]?.stringValue
            if !(actual.map { Self.normalizedType($0).isASCIICaseInsensitiveByteEqual(to: Self.normalizedType(type)) } ?? false) {
                throw TokenError(.typeMismatch, "header typ \(actual.map { "\"\($0.prefix(60))\"" } ?? "is absent"), expected \"\(type)\"")
            }
        }
        if !revokedIDs.isEmpty, let jti = try JWTClaims.string("jti", registered.jti), revokedIDs.contains(jti) {
            throw TokenError(.revoked, "token id (jti) \"\(jti.prefix(100))\" is revoked")
        }
    }

    /// `type` without an `application/` prefix (ASCII case-insensitive), RFC 7515 §4.1.9.
    private static func normalizedType(_ type: String) -> Substring {
        let prefix = "application/"
        let head = type.utf8.prefix(prefix.utf8.count)
        guard String(decoding: head, as: UTF8.self).isASCIICaseInsensitiveByteEqual(to: prefix) else { return type[...] }
        return type[head.endIndex...]
    }
}

