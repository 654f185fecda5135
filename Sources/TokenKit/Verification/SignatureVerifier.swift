/// Checks the signature of a JWS against a set of trusted keys (RFC 7515 §5.2, RFC 8725 §3.1).
///
/// The keys come only from the caller: `jwk`, `jku`, `x5u` and `x5c` header parameters are
/// never used to obtain a key, and nothing is fetched because of them. The header's `alg`
/// must be allowed for the key's type (and by ``allowedAlgorithms`` when given), so a token
/// can never make an RSA public key serve as an HMAC secret.
public struct SignatureVerifier: Sendable {
    /// The result of a successful check: which algorithm and which key verified the token.
    public struct Match: Sendable {
        /// The header's algorithm.
        public let algorithm: Algorithm
        /// The key that verified the signature.
        public let key: Key
    }

    /// The trusted keys.
    public let keys: [Key]
    /// Algorithms the caller allows; `nil` allows every algorithm that fits a key.
    public let allowedAlgorithms: Set<Algorithm>?
    /// The keys that may verify signatures (not marked for encryption), chosen once.
    private let signingKeys: [Key]
    /// ``allowedAlgorithms`` as a list: a few algorithms are found by comparing each, faster
    /// than by hashing the token's (every token is looked up).
    private let allowedList: [Algorithm]?

    /// Creates a verifier.
    ///
    /// - Parameters:
    ///   - keys: the trusted keys; public or private keys and HMAC secrets, but not a mix
    ///     of secret and public keys (a key set that mixes them is ambiguous: a public
    ///     key's holder could forge tokens for the secret's algorithms).
    ///   - allowedAlgorithms: narrows the algorithms further; `nil` allows all that fit.
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for an empty or mixed key set, a set whose
    ///   keys are all marked for encryption, or when no key allows any of `allowedAlgorithms`.
    public init(keys: [Key], allowedAlgorithms: Set<Algorithm>? = nil) throws {
        guard !keys.isEmpty else { throw TokenError(.keyUnsuitable, "no verification key given") }
        let secretCount = keys.filter { if case .oct = $0.type { return true } else { return false } }.count
        if secretCount > 0, secretCount < keys.count {
            throw TokenError(
                .keyUnsuitable, "the key set mixes HMAC secrets with public keys; use one kind of key per verification")
        }
        guard keys.contains(where: Self.maySignatureVerify) else {
            throw TokenError(.keyUnsuitable, keys.count == 1
                ? "the key is marked for encryption (use \"enc\", or key_ops without \"verify\"), not for verifying signatures"
                : "every given key is marked for encryption (use \"enc\", or key_ops without \"verify\"); none verifies signatures")
        }
        if let allowedAlgorithms {
            let usable = keys.contains { !allowedAlgorithms.isDisjoint(with: $0.allowedAlgorithms) }
            if !usable {
                let names = allowedAlgorithms.map(\.rawValue).sorted().joined(separator: ", ")
                throw TokenError(.keyUnsuitable, "no given key can verify \(names)")
            }
        }
        self.init(checkedKeys: keys, allowedAlgorithms: allowedAlgorithms)
    }

    /// A verifier of keys that ``init(keys:allowedAlgorithms:)`` checked (or their copies:
    /// ``unsharedCopy()``), without checking them again.
    init(checkedKeys keys: [Key], allowedAlgorithms: Set<Algorithm>?) {
        self.keys = keys
        self.allowedAlgorithms = allowedAlgorithms
        self.allowedList = allowedAlgorithms.map(Array.init)
        self.signingKeys = keys.filter(Self.maySignatureVerify)
    }

    /// Verifies the token's signature over its received `header.payload` bytes.
    ///
    /// Key choice: with a `kid` in the header, the keys with that `kid` (and keys that have
    /// no `kid`, such as a PEM file); without one, every key. Keys marked for encryption
    /// (`use: enc`, or `key_ops` without `verify`) never verify. Of those, only keys whose
    /// type allows the header's `alg` are tried.
    ///
    /// - Throws: ``TokenError/Code/algorithmNotAllowed`` (`none`, unknown, or not allowed for
    ///   any candidate key), ``TokenError/Code/keyNotFound``, ``TokenError/Code/signatureInvalid``,
    ///   ``TokenError/Code/unsupportedCritical``, ``TokenError/Code/malformed``.
    public func verify(_ token: CompactToken) throws -> Match {
        try token.withSignature { signature in
            try token.withSigningInput { try verify(header: token.headerEntry, signature: UnsafeRawBufferPointer(signature), over: $0) }
        }
    }

    /// ``verify(_:)`` on a token's parts, lent by the caller: its header (as ``CompactToken``
    /// checked it), its decoded signature, and its `header.payload` bytes as received.
    func verify(header: HeaderCache.Entry, signature: UnsafeRawBufferPointer, over input: UnsafeRawBufferPointer) throws -> Match {
        let algorithm = try HeaderPolicy.algorithm(of: header)
        if let allowedList, !allowedList.contains(algorithm) {
            let names = allowedList.map(\.rawValue).sorted().joined(separator: ", ")
            throw TokenError(.algorithmNotAllowed, "alg \(algorithm) is not allowed (allowed: \(names))")
        }
        // The usual case, one key that the header's kid (if any) selects: decided without
        // building candidate lists.
        if signingKeys.count == 1 {
            let key = signingKeys[0]
            let matches = header.keyID.map { Self.has(key, keyID: $0) } ?? false
            if Self.isCandidate(key, forKeyID: header.keyID, anyKeyMatches: matches), key.allows(algorithm) {
                guard key.isValidSignature(signature, over: input, algorithm: algorithm) else {
                    throw Self.signatureInvalid(algorithm, candidateCount: 1)
                }
                return Match(algorithm: algorithm, key: key)
            }
        }
        var candidates = signingKeys
        if let kid = header.keyID {
            let anyKeyMatches = signingKeys.contains { Self.has($0, keyID: kid) }
            candidates = signingKeys.filter { Self.isCandidate($0, forKeyID: kid, anyKeyMatches: anyKeyMatches) }
            if candidates.isEmpty {
                let known = signingKeys.compactMap(\.kid).prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
                throw TokenError(.keyNotFound, "no key has kid \"\(kid.prefix(80))\" (known: \(known))")
            }
        } else if candidates.isEmpty {
            throw TokenError(.keyNotFound, "no key may verify signatures (all are marked for encryption)")
        }
        // The usual case (every candidate fits) keeps the list as it is, without a copy.
        let fitting = candidates.allSatisfy { $0.allows(algorithm) } ? candidates : candidates.filter { $0.allows(algorithm) }
        guard !fitting.isEmpty else {
            if let reason = candidates.lazy.compactMap({ $0.hmacSecretTooShortReason(for: algorithm) }).first {
                throw TokenError(.algorithmNotAllowed, reason)
            }
            let types = Set(candidates.map { String(describing: $0) }).sorted().joined(separator: ", ")
            throw TokenError(.algorithmNotAllowed, "alg \(algorithm) does not fit the key (\(types))")
        }
        if let verified = fitting.first(where: { $0.isValidSignature(signature, over: input, algorithm: algorithm) }) {
            return Match(algorithm: algorithm, key: verified)
        }
        throw Self.signatureInvalid(algorithm, candidateCount: fitting.count)
    }

    /// Whether `key` may verify a token whose header has `kid`: with no kid, every key; else
    /// the keys with that kid, or, when no key has it, the keys without a kid (a PEM file).
    ///
    /// - Parameter anyKeyMatches: whether some signing key has `kid` (``has(_:keyID:)``).
    private static func isCandidate(_ key: Key, forKeyID kid: String?, anyKeyMatches: Bool) -> Bool {
        guard let kid else { return true }
        guard let own = key.kid else { return !anyKeyMatches }
        return own.isByteEqual(to: kid)
    }

    /// Whether `key`'s kid is `kid`, byte for byte.
    private static func has(_ key: Key, keyID kid: String) -> Bool { key.kid?.isByteEqual(to: kid) ?? false }

    /// The error for a signature that no candidate key verifies.
    private static func signatureInvalid(_ algorithm: Algorithm, candidateCount: Int) -> TokenError {
        TokenError(.signatureInvalid, candidateCount == 1
            ? "\(algorithm) signature does not verify"
            : "\(algorithm) signature does not verify under any of \(candidateCount) candidate keys")
    }

    private static func maySignatureVerify(_ key: Key) -> Bool {
        if let use = key.use, use != "sig" { return false }
        if let operations = key.keyOperations, !operations.contains("verify") { return false }
        return true
    }
}
