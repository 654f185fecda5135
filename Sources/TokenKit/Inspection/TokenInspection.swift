/// What `decode` shows about a token without verifying it: its parts, its times read for
/// people, and warnings about what a verifier would reject or a reviewer should question.
public struct TokenInspection: Sendable {
    /// A NumericDate claim read for people.
    public struct TimeClaim: Sendable {
        /// `iat`, `nbf` or `exp`.
        public let name: String
        /// The claim's value, Unix seconds.
        public let seconds: Int64
        /// The RFC 3339 UTC form.
        public var rfc3339: String { Instant.rfc3339(seconds) }
        /// Relative to the inspection time: `in 14m`, `3d ago`.
        public let relative: String
    }

    /// The parsed token.
    public let token: CompactToken
    /// The payload as JSON, or `nil` when it is not JSON.
    public let payload: JSONValue?
    /// Why the payload is not a JWT claim set (not JSON, a JSON array, nested too deep, a
    /// duplicate member name), as ``JWTClaims/init(payload:)`` says; `nil` for a claim set.
    /// Such a token is malformed: `decode` shows what it can, then fails.
    public let payloadError: TokenError?
    /// `iat`, `nbf` and `exp`, when present as numbers, in that order.
    public let times: [TimeClaim]
    /// Warnings about the header and times, one line each, most serious first.
    public let warnings: [String]
    /// The size and small-claims policy check (``ClaimPolicy`` with its default budgets), or
    /// `nil` when the payload is not a claim set. Covers a missing `exp` and long lifetimes.
    public let sizeCheck: SizeCheck?

    /// Inspects a parsed token at `now`.
    ///
    /// - Parameters:
    ///   - token: the parsed token.
    ///   - now: the time relative times and expiry are judged at.
    ///   - policy: the size and claims policy for ``sizeCheck``.
    public init(token: CompactToken, now: Int64, policy: ClaimPolicy = ClaimPolicy()) {
        self.token = token
        var warnings: [String] = []
        let algorithm = token.algorithmName
        if algorithm.isASCIICaseInsensitiveByteEqual(to: "none") {
            warnings.append("alg is \"\(algorithm)\": the token is unsigned and every verifier must reject it")
        } else if Algorithm(rawValue: algorithm) == nil {
            warnings.append("alg \"\(algorithm.prefix(40))\" is not a known JWS algorithm")
        }
        for name in ["jwk", "jku", "x5u", "x5c"] where token.header.contains(name) {
            warnings.append("header carries \"\(name)\": a verifier must never take the key from the token itself")
        }
        if token.header.contains("crit") || token.header.contains("b64") {
            warnings.append("header uses crit/b64 extensions, which verification rejects")
        }
        payload = try? JSONParser.parse(token.payload)
        if payload?.objectValue != nil {
            payloadError = nil
        } else {
            // Not a claim set: JWTClaims says why, in the words verify uses.
            do {
                _ = try JWTClaims(payload: token.payload)
                payloadError = nil
            } catch {
                payloadError = TokenError.wrapping(error)
            }
        }
        var times: [TimeClaim] = []
        if let object = payload?.objectValue {
            let claims = JWTClaims(object)
            // Times that are not NumericDates are the policy's finding (time-not-integer).
            for name in ["iat", "nbf", "exp"] {
                guard let seconds = try? claims.numericDate(name) else { continue }
                // The relative time is told as verify compares (a fraction rounded up).
                let compared = (try? claims.numericDate(name, rounding: .up)) ?? seconds
                times.append(TimeClaim(name: name, seconds: seconds, relative: Self.describe(name, compared, now: now)))
            }
            // The warnings compare as verify does (ClaimRequirements): fractions rounded up.
            if let exp = try? claims.numericDate("exp", rounding: .up), exp <= now {
                warnings.append("expired \(Instant.relative(exp, now: now))")
            }
            if let nbf = try? claims.numericDate("nbf", rounding: .up), nbf > now {
                warnings.append("not valid until \(Instant.rfc3339(nbf)) (\(Instant.relative(nbf, now: now)))")
            }
            if let iat = try? claims.numericDate("iat", rounding: .up), iat > now {
                warnings.append("issued in the future (\(Instant.relative(iat, now: now)))")
            }
        } else if let payloadError {
            warnings.append("\(payloadError.reason), so it is not a JWT claim set")
        }
        if token.signature.isEmpty { warnings.append("the signature is empty") }
        self.times = times
        self.warnings = warnings
        self.sizeCheck = (try? SizeReport(token: token)).map {
            SizeCheck(input: "token", report: $0, policy: policy, now: now)
        }
    }

    /// "expires in 14 minutes", "expired 3 days ago", "issued 5 minutes ago", "became valid
    /// 2 hours ago", "becomes valid in 1 minute": as people say them (``Instant/relative(_:now:)``).
    private static func describe(_ name: String, _ seconds: Int64, now: Int64) -> String {
        let relative = Instant.relative(seconds, now: now)
        switch name {
        case "exp": return (seconds > now ? "expires " : "expired ") + relative
        case "iat": return "issued " + relative
        default: return (seconds > now ? "becomes valid " : "became valid ") + relative
        }
    }

    /// The payload as text, when it is not JSON but valid UTF-8.
    public var payloadText: String? {
        payload == nil ? String(validating: token.payload, as: UTF8.self) : nil
    }
}
