/// The one error type TokenKit throws.
///
/// Each error carries a stable ``Code`` (the same identifiers appear in the CLI's
/// `error[<code>]` diagnostics, in `--json` output and in the man page) and a
/// human-readable ``reason``. Two errors are equal when their codes are equal, so
/// callers and tests match on the code, never on the message text.
///
/// The reason never contains secret or private key material.
public struct TokenError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What went wrong, as a stable machine-readable identifier.
    public var code: Code
    /// What went wrong, for a person: one line, naming the offending input.
    public var reason: String
    /// What the caller can change to get past the error, when the library knows; a
    /// command-line tool turns it into the option that does it. Not part of equality.
    public var remedy: Remedy?

    /// Creates an error with a code, a one-line reason and, optionally, a remedy.
    public init(_ code: Code, _ reason: String, remedy: Remedy? = nil) {
        self.code = code
        self.reason = reason
        self.remedy = remedy
    }

    /// A change the caller can make to get past an error, named by a stable identifier.
    /// The reason says what went wrong in TokenKit's own terms; the remedy lets a front end
    /// say how to fix it in its own (a CLI flag, a configuration key).
    public struct Remedy: Hashable, Sendable {
        /// The stable identifier, such as `raise_token_size_limit`.
        public let id: String
        private init(_ id: String) { self.id = id }

        /// Raise the token size bound (``CompactToken/init(_:maxBytes:)``'s `maxBytes`).
        public static let raiseTokenSizeLimit = Remedy("raise_token_size_limit")
        /// Accept tokens without `exp` (``ClaimRequirements/requireExpiration`` off).
        public static let allowMissingExpiration = Remedy("allow_missing_expiration")
        /// Give the password of an encrypted private key.
        public static let giveKeyPassword = Remedy("give_key_password")
        /// Give public key material as a key, not as an HMAC secret.
        public static let giveAsKey = Remedy("give_as_key")
        /// Name the audience the verifier identifies with, or skip the audience check
        /// (``ClaimRequirements/audiences``, ``ClaimRequirements/ignoreAudience``).
        public static let nameExpectedAudience = Remedy("name_expected_audience")
        /// Name one key of several by its `kid` (or a kid-less key by its RFC 7638
        /// thumbprint), or use a managed keyset (``KeySource/signingKey(among:kid:source:)``).
        public static let nameKeyID = Remedy("name_key_id")
        /// Give a key (or a secret, or a keyset): there is none by default.
        public static let giveKey = Remedy("give_key")
    }

    public var description: String { "\(code.id): \(reason)" }

    public static func == (lhs: TokenError, rhs: TokenError) -> Bool { lhs.code == rhs.code }
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// A stable error identifier such as `signature_invalid`.
    ///
    /// Codes are a public interface: they are never renamed, only added.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// The snake_case identifier printed by the CLI.
        public let id: String
        /// Whether the error means "the token or key was rejected" (CLI exit 1) rather than
        /// "the tool could not do its job" (CLI exit 2).
        public let isRejection: Bool

        /// One line on what the code means, for the man page and `--help`.
        public let summary: String

        private init(_ id: String, rejection: Bool, summary: String) {
            self.id = id
            self.isRejection = rejection
            self.summary = summary
        }

        public var description: String { id }

        // Rejections: the token (or key, API key, claim set) is not acceptable. CLI exit 1.

        /// The token is not a well-formed JWS compact serialization (bad segments,
        /// base64url, JSON, header members, or too large).
        public static let malformed = Code("malformed", rejection: true,
            summary: "The token is not a well-formed JWS compact serialization (bad segments, base64url, JSON, header members, or too large).")
        /// The signature does not verify under any candidate key.
        public static let signatureInvalid = Code("signature_invalid", rejection: true,
            summary: "The signature does not verify under any candidate key.")
        /// The token's `alg` is `none`, unknown, or not allowed for the key or by the accepted algorithms.
        public static let algorithmNotAllowed = Code("algorithm_not_allowed", rejection: true,
            summary: "The token's alg is none, unknown, or not allowed for the key or by the accepted algorithms.")
        /// No key of the keyset fits the token (unknown `kid`, or no key of a fitting type); or an
        /// API key's secret is not in the keyset, or its SHA-256 not in the hash list.
        public static let keyNotFound = Code("key_not_found", rejection: true,
            summary: "No key of the keyset fits the token (unknown kid, or no key of a fitting type); or an API key's secret is not in the keyset, or its SHA-256 not in the hash list.")
        /// The header lists a critical extension (`crit`) this implementation does not understand.
        public static let unsupportedCritical = Code("unsupported_critical", rejection: true,
            summary: "The header lists a critical extension (crit) this implementation does not understand.")
        /// The token's `exp` is in the past.
        public static let expired = Code("expired", rejection: true,
            summary: "The token's exp is in the past.")
        /// The token's `nbf` is in the future.
        public static let notYetValid = Code("not_yet_valid", rejection: true,
            summary: "The token's nbf is in the future.")
        /// The token's `iat` is in the future.
        public static let issuedInFuture = Code("issued_in_future", rejection: true,
            summary: "The token's iat is in the future.")
        /// The token is older than the allowed maximum age (from `iat`).
        public static let tooOld = Code("too_old", rejection: true,
            summary: "The token is older than the allowed maximum age (from iat).")
        /// A required claim (`exp` by default, or one the verifier requires) is absent.
        public static let missingClaim = Code("missing_claim", rejection: true,
            summary: "A required claim (exp by default, or one the verifier requires) is absent.")
        /// A registered claim has the wrong JSON type (for example a string `exp`).
        public static let invalidClaim = Code("invalid_claim", rejection: true,
            summary: "A registered claim has the wrong JSON type (for example a string exp).")
        /// The `iss` claim is not the expected issuer.
        public static let issuerMismatch = Code("issuer_mismatch", rejection: true,
            summary: "The iss claim is not the expected issuer.")
        /// The `aud` claim does not contain an expected audience.
        public static let audienceMismatch = Code("audience_mismatch", rejection: true,
            summary: "The aud claim does not contain an expected audience.")
        /// The `sub` claim is not the expected subject.
        public static let subjectMismatch = Code("subject_mismatch", rejection: true,
            summary: "The sub claim is not the expected subject.")
        /// The `typ` header is not the expected type.
        public static let typeMismatch = Code("type_mismatch", rejection: true,
            summary: "The typ header is not the expected type.")
        /// The token's `jti` is on the revocation list.
        public static let revoked = Code("revoked", rejection: true,
            summary: "The token's jti is on the revocation list.")
        /// An API key's checksum does not match: it was mistyped or truncated.
        public static let checksumInvalid = Code("checksum_invalid", rejection: true,
            summary: "An API key's checksum does not match: it was mistyped or truncated.")
        /// A token or claim set exceeds its size budget, or a size-policy error finding stands.
        public static let overBudget = Code("over_budget", rejection: true,
            summary: "A token or claim set exceeds its size budget, or a size-policy error finding stands.")

        // Configuration and environment errors: the command could not do its job. CLI exit 2.

        /// A key file, JWK or JWKS could not be parsed, or a private key does not match its public part.
        public static let malformedKey = Code("malformed_key", rejection: false,
            summary: "A key file, JWK or JWKS could not be parsed, or a private key does not match its public part.")
        /// A key is too weak to use (RSA under 2048 bits, HMAC secret shorter than the hash).
        public static let weakKey = Code("weak_key", rejection: false,
            summary: "A key is too weak to use (RSA under 2048 bits, HMAC secret shorter than the hash).")
        /// A key cannot do what was asked (a public key given for signing, an HMAC key for ES256).
        public static let keyUnsuitable = Code("key_unsuitable", rejection: false,
            summary: "A key cannot do what was asked (a public key given for signing, an HMAC key for ES256).")
        /// JSON given as configuration (for example a claim set to sign) is not valid.
        public static let malformedJSON = Code("malformed_json", rejection: false,
            summary: "JSON given as configuration (for example a claim set to sign) is not valid.")
        /// An option's value is not valid (a bad duration, instant, budget or algorithm name).
        public static let invalidValue = Code("invalid_value", rejection: false,
            summary: "An option's value is not valid (a bad duration, instant, budget or algorithm name).")
        /// A file or stream could not be read.
        public static let inputUnreadable = Code("input_unreadable", rejection: false,
            summary: "A file or stream could not be read.")
        /// A file or stream could not be written.
        public static let outputUnwritable = Code("output_unwritable", rejection: false,
            summary: "A file or stream could not be written.")
        /// A keyset directory or its private file is a symbolic link, belongs to another user,
        /// or is open to group or others; the message names the `chmod` or `chown` that fixes it.
        public static let insecureKeyset = Code("insecure_keyset", rejection: false,
            summary: "A keyset directory or private file is a symbolic link, another user's, or open to group or others.")
        /// Another run holds the keyset's lock and did not release it in time.
        public static let keysetLocked = Code("keyset_locked", rejection: false,
            summary: "Another run holds the keyset's lock and did not release it in time.")
        /// A JWKS or OpenID configuration could not be fetched: DNS, connect, TLS, certificate,
        /// host name, timeout, size, HTTP status, redirect, or a body that is not a JWKS.
        public static let fetchFailed = Code("fetch_failed", rejection: false,
            summary: "A JWKS or OpenID configuration could not be fetched (DNS, connect, TLS, certificate, host name, timeout, size, HTTP status, redirect, or a body that is not a JWKS).")
        /// OpenSSL failed in a way that does not depend on the input.
        public static let backendFailure = Code("backend_failure", rejection: false,
            summary: "OpenSSL failed in a way that does not depend on the input.")

        /// Every code, in documentation order. The CLI's exit table and the man page are built from it.
        public static let all: [Code] = [
            .malformed, .signatureInvalid, .algorithmNotAllowed, .keyNotFound, .unsupportedCritical,
            .expired, .notYetValid, .issuedInFuture, .tooOld, .missingClaim, .invalidClaim,
            .issuerMismatch, .audienceMismatch, .subjectMismatch, .typeMismatch, .revoked,
            .checksumInvalid,
            .overBudget,
            .malformedKey, .weakKey, .keyUnsuitable, .malformedJSON, .invalidValue,
            .inputUnreadable, .outputUnwritable, .insecureKeyset, .keysetLocked, .fetchFailed, .backendFailure,
        ]

        public static func == (lhs: Code, rhs: Code) -> Bool { lhs.id == rhs.id }
        public func hash(into hasher: inout Hasher) { hasher.combine(id) }
    }
}

extension TokenError {
    /// A malformed-token error.
    public static func malformed(_ reason: String) -> TokenError { TokenError(.malformed, reason) }
    /// An invalid-option-value error.
    public static func invalidValue(_ reason: String) -> TokenError { TokenError(.invalidValue, reason) }
    /// A malformed-key error.
    public static func malformedKey(_ reason: String) -> TokenError { TokenError(.malformedKey, reason) }
}

extension TokenError {
    /// The error itself when it is a ``TokenError``, else a `backend_failure` describing it.
    public static func wrapping(_ error: any Error) -> TokenError {
        (error as? TokenError) ?? TokenError(.backendFailure, String(describing: error))
    }
}
