/// Verifies a JWT: size bound, structure, header policy, signature, then claims — in that
/// order, so nothing in an unauthenticated payload is trusted before the signature holds.
public struct TokenVerifier: Sendable {
    /// A token that passed every check.
    public struct Verified: Sendable {
        /// The token as parsed.
        public let token: CompactToken
        /// Its claims, in the token's member order.
        public var claims: JWTClaims {
            if let parsedClaims { return parsedClaims }
            // Read in place: the scanner accepted this payload, so the parser does too.
            return (try? JWTClaims(payload: token.payload)) ?? JWTClaims(JSONObject())
        }
        /// The claims when they were parsed into a tree; `nil` when they were read in place
        /// (``JSONClaimScanner``), which also means the payload is its own compact serialization.
        let parsedClaims: JWTClaims?
        /// The algorithm that verified it.
        public let algorithm: Algorithm
        /// The key that verified it.
        public let key: Key
        /// The verifying key's `kid`, when it has one (read in place).
        public var verifyingKeyID: String? { key.kid }

        /// Appends the compact JSON text of the claims to `out` (``JSONValue/serialized``):
        /// the payload as received when it is already compact, else the claims serialized.
        public func serializeClaims(to out: inout ByteWriter) {
            if let parsedClaims {
                parsedClaims.object.serialize(to: &out, parsedFrom: token.payload)
            } else {
                out.append(contentsOf: token.payload)
            }
        }
    }

    /// The signature check.
    public var signatureVerifier: SignatureVerifier { rules.signatureVerifier }
    /// The claim checks.
    public var requirements: ClaimRequirements {
        get { rules.requirements }
        set { rules = Rules(signatureVerifier: rules.signatureVerifier, requirements: newValue) }
    }
    /// The size bound on a token, in bytes.
    public var maxTokenBytes: Int

    /// The signature check and the claim checks, in a box that is never changed (a change of
    /// requirements makes a new one): a verifier is then copied with one reference count,
    /// not a dozen (its keys, names and lists), which batch verification does for every token.
    private(set) var rules: Rules
    /// The checks of a ``TokenVerifier``, never changed once made.
    final class Rules: Sendable {
        let signatureVerifier: SignatureVerifier
        let requirements: ClaimRequirements

        init(signatureVerifier: SignatureVerifier, requirements: ClaimRequirements) {
            self.signatureVerifier = signatureVerifier
            self.requirements = requirements
        }
    }

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - signatureVerifier: the trusted keys and allowed algorithms.
    ///   - requirements: the claim checks.
    ///   - maxTokenBytes: tokens longer than this are malformed.
    public init(
        signatureVerifier: SignatureVerifier, requirements: ClaimRequirements,
        maxTokenBytes: Int = CompactToken.defaultMaxBytes
    ) {
        self.rules = Rules(signatureVerifier: signatureVerifier, requirements: requirements)
        self.maxTokenBytes = maxTokenBytes
    }

    /// Verifies one token.
    ///
    /// - Throws: a rejection ``TokenError`` (see ``SignatureVerifier/verify(_:)`` and
    ///   ``ClaimRequirements/check(header:claims:)``), or `malformed` when the payload is not
    ///   a JSON object.
    public func verify(_ text: String) throws -> Verified {
        let token = try CompactToken(text, maxBytes: maxTokenBytes)
        let match = try rules.signatureVerifier.verify(token)
        if try token.payload.withUnsafeBufferPointer({ try checkClaimsInPlace($0, header: token.headerEntry) }) {
            return Verified(token: token, parsedClaims: nil, algorithm: match.algorithm, key: match.key)
        }
        let claims = try JWTClaims(payload: token.payload)
        try rules.requirements.check(header: token.header, claims: claims)
        return Verified(token: token, parsedClaims: claims, algorithm: match.algorithm, key: match.key)
    }

    /// Checks the claims of the usual compact payload read in place, without a tree: `false`
    /// for any other payload, and when claims are required by name (those are parsed).
    ///
    /// - Throws: the claim checks' rejection (``ClaimRequirements/check(header:claims:)``).
    func checkClaimsInPlace(_ payload: UnsafeBufferPointer<UInt8>, header: HeaderCache.Entry) throws -> Bool {
        guard rules.requirements.requiredClaims.isEmpty, let registered = JWTClaims.Registered(inPlace: payload) else { return false }
        try rules.requirements.check(header: header.header, registered: registered, hasClaim: { _ in false })
        return true
    }
}
