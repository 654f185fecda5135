/// Verifies a JWT: size bound, structure, header policy, signature, then claims — in that
/// order, so nothing in an unauthenticated payload is trusted before the signature holds.
public struct TokenVerifier: Sendable {
    /// A token that passed every check.
    public struct Verified: Sendable {
        /// The token as parsed.
        public let token: CompactToken
        /// Its claims, in the token's member order.
        public let claims: JWTClaims
        /// The algorithm that verified it.
        public let algorithm: Algorithm
        /// The key that verified it.
        public let key: Key
    }

    /// The signature check.
    public let signatureVerifier: SignatureVerifier
    /// The claim checks.
    public var requirements: ClaimRequirements
    /// The size bound on a token, in bytes.
    public var maxTokenBytes: Int

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
        self.signatureVerifier = signatureVerifier
        self.requirements = requirements
        self.maxTokenBytes = maxTokenBytes
    }

    /// Verifies one token.
    ///
    /// - Throws: a rejection ``TokenError`` (see ``SignatureVerifier/verify(_:)`` and
    ///   ``ClaimRequirements/check(header:claims:)``), or `malformed` when the payload is not
    ///   a JSON object.
    public func verify(_ text: String) throws -> Verified {
        let token = try CompactToken(text, maxBytes: maxTokenBytes)
        let match = try signatureVerifier.verify(token)
        let claims = try JWTClaims(payload: token.payload)
        try requirements.check(header: token.header, claims: claims)
        return Verified(token: token, claims: claims, algorithm: match.algorithm, key: match.key)
    }
}
