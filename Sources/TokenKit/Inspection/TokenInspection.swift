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
        /// The value as verify compares it (a fraction rounded up), which ``relative`` tells.
        let compared: Int64
        /// The inspection time.
        let now: Int64
        /// Relative to the inspection time: `expires in 14 minutes`, `issued 3 days ago`.
        public var relative: String {
            var out = ByteWriter()
            appendRelative(to: &out)
            return out.string
        }

        /// Appends ``relative`` to `out` as UTF-8.
        public func appendRelative(to out: inout ByteWriter) {
            TokenInspection.describe(name, compared, now: now, to: &out)
        }

        /// Appends ``rfc3339`` to `out` as UTF-8.
        public func appendRFC3339(to out: inout ByteWriter) { Instant.appendRFC3339(seconds, to: &out) }
    }

    /// The parsed token.
    public let token: CompactToken
    /// The payload as JSON, or `nil` when it is not JSON (parsed here when it was read in place).
    public var payload: JSONValue? {
        switch payloadForm {
        case .parsed(let value, _): value
        case .readInPlace: sizeCheck?.report.map { .object($0.claims) }
        }
    }
    /// How the payload was read.
    private let payloadForm: PayloadForm

    /// How ``payload`` was read.
    private enum PayloadForm {
        /// Parsed: the value, or `nil` when not JSON, and whether its JSON text is its own
        /// compact serialization, so that it is written as received (``serializePayload(to:)``).
        case parsed(JSONValue?, isCompact: Bool)
        /// A usual claim set, read in place (``CompactClaims``): compact JSON, written as received.
        case readInPlace
    }
    /// Why the payload is not a JWT claim set (not JSON, a JSON array, nested too deep, a
    /// duplicate member name), as ``JWTClaims/init(payload:)`` says; `nil` for a claim set.
    /// Such a token is malformed: `decode` shows what it can, then fails.
    public let payloadError: TokenError?
    /// `iat`, `nbf` and `exp`, when present as numbers, in that order (``ClaimPolicy``'s).
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
        // Both read from the header cache's entry: a batch's repeated header is looked into once.
        if token.hasKeyCarryingParameters {
            for name in HeaderPolicy.keyCarryingParameters where token.header.contains(name) {
                warnings.append("header carries \"\(name)\": a verifier must never take the key from the token itself")
            }
        }
        if token.hasCriticalParameters {
            warnings.append("header uses crit/b64 extensions, which verification rejects")
        }
        let report: SizeReport?
        if let claims = CompactClaims(token.payload) {
            payloadForm = .readInPlace
            payloadError = nil
            report = SizeReport(token: token, claims: claims)
        } else {
            let parsed = try? JSONParser.parseDocument(token.payload, recordingMembers: true)
            payloadForm = .parsed(parsed?.value, isCompact: parsed?.isCompact ?? false)
            if parsed?.value.objectValue != nil {
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
            // The payload parsed above is the claim set SizeReport(token:) would parse again.
            report = parsed?.value.objectValue.map { object in
                SizeReport(
                    kind: .token, header: token.header, headerBytes: token.headerSegmentLength, claims: object,
                    payloadBytes: token.payload.count, memberSpans: parsed?.memberSpans ?? [],
                    signatureBytes: token.signatureSegmentLength)
            }
        }
        var times: [TimeClaim] = []
        if let report {
            times.reserveCapacity(3)  // one allocation, not one for each of the first two times
            // Times that are not NumericDates are the policy's finding (time-not-integer).
            // Each value is read once, by position (SizeReport.registeredClaim);
            // JWTClaims.numericDate(of:rounding:) is nil where JWTClaims.numericDate(_:rounding:) would throw.
            // (Three variables, not an array of three: one allocation a token less.)
            var compared: (iat: Int64?, nbf: Int64?, exp: Int64?) = (nil, nil, nil)
            for claim in ClaimPolicy.timeClaims {
                guard let value = report.registeredClaim(claim)?.value, let (seconds, up) = JWTClaims.numericDateRoundedBothWays(of: value)
                else { continue }
                // The relative time is told as verify compares (a fraction rounded up).
                switch claim {
                case .iat: compared.iat = up
                case .nbf: compared.nbf = up
                default: compared.exp = up
                }
                times.append(TimeClaim(name: claim.name, seconds: seconds, compared: up, now: now))
            }
            // The warnings compare as verify does (ClaimRequirements): fractions rounded up.
            if let exp = compared.exp, exp <= now {
                warnings.append("expired \(Instant.relative(exp, now: now))")
            }
            if let nbf = compared.nbf, nbf > now {
                warnings.append("not valid until \(Instant.rfc3339(nbf)) (\(Instant.relative(nbf, now: now)))")
            }
            if let iat = compared.iat, iat > now {
                warnings.append("issued in the future (\(Instant.relative(iat, now: now)))")
            }
        } else if let payloadError {
            warnings.append("\(payloadError.reason), so it is not a JWT claim set")
        }
        if token.signatureSegmentLength == 0 { warnings.append("the signature is empty") }
        self.times = times
        self.warnings = warnings
        self.sizeCheck = report.map { SizeCheck(input: "token", report: $0, policy: policy, now: now) }
    }

    /// "expires in 14 minutes", "expired 3 days ago", "issued 5 minutes ago", "became valid
    /// 2 hours ago", "becomes valid in 1 minute": as people say them (``Instant/relative(_:now:)``).
    static func describe(_ name: String, _ seconds: Int64, now: Int64, to out: inout ByteWriter) {
        // Literals (StaticString) appended as they are, not made into Strings first.
        let future = seconds > now
        switch name {
        case "exp": out.append(contentsOf: future ? "expires " as StaticString : "expired ")
        case "iat": out.append(contentsOf: "issued " as StaticString)
        default: out.append(contentsOf: future ? "becomes valid " as StaticString : "became valid ")
        }
        Instant.appendRelative(seconds, now: now, to: &out)
    }

    /// Appends the compact JSON text of ``payload`` to `out` (``JSONValue/serialized``), or
    /// `null` when the payload is not JSON: the payload as received when it is already compact.
    public func serializePayload(to out: inout ByteWriter) {
        switch payloadForm {
        case .readInPlace, .parsed(.some, isCompact: true): out.append(contentsOf: token.payload)
        case .parsed(let payload?, isCompact: false): payload.serialize(to: &out)
        case .parsed(nil, _): out.append(contentsOf: "null")
        }
    }

    /// ``payload`` indented for people, as ``JSONValue/prettyPrinted(indent:)`` writes it, or
    /// `nil` when the payload is not JSON: a compact payload re-indented from its text.
    public var prettyPrintedPayload: String? {
        switch payloadForm {
        case .readInPlace, .parsed(.some, isCompact: true):
            var out = ByteWriter(capacity: 2 * token.payload.count + 16)
            token.payload.withUnsafeBufferPointer { JSONValue.appendPrettyPrinted(compactText: $0, to: &out) }
            return out.string
        case .parsed(let payload?, isCompact: false): return payload.prettyPrinted()
        case .parsed(nil, _): return nil
        }
    }

    /// The payload as text, when it is not JSON but valid UTF-8.
    public var payloadText: String? {
        guard case .parsed(nil, _) = payloadForm else { return nil }
        return String(validating: token.payload, as: UTF8.self)
    }
}
