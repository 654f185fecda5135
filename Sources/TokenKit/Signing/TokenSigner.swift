/// Signs claim sets into compact JWS tokens (RFC 7515 §7.1, RFC 7519 §7.1).
public struct TokenSigner: Sendable {
    /// The private key or HMAC secret that signs.
    public let key: Key
    /// The algorithm written into `alg`.
    public let algorithm: Algorithm
    /// The `kid` written into the header, if any; set it to `nil` to write none.
    public var kid: String?

    /// Header members a caller may not set: they would change what the signature means
    /// (`alg`), or make tokens this tool itself rejects (`crit`, `b64`).
    public static let reservedHeaderNames: Set<String> = ["alg", "crit", "b64"]

    /// Creates a signer.
    ///
    /// - Parameters:
    ///   - key: a private key or HMAC secret.
    ///   - algorithm: the algorithm; `nil` takes the key's default (ES256 for a P-256 key...).
    ///     `Ed25519`/`Ed448` are written as `EdDSA`, which every verifier understands.
    ///   - kid: the key id; `nil` takes the key's own `kid`, else the RFC 7638 thumbprint of
    ///     a public key. A raw HMAC secret gets none: its thumbprint would publish a hash of it.
    /// - Throws: ``TokenError/Code/keyUnsuitable`` when the key is public-only, is marked for
    ///   another use than signing (JWK `use` other than `sig`, `key_ops` without `sign`), or does
    ///   not allow the algorithm; ``TokenError/Code/weakKey`` for an HMAC secret shorter than the hash.
    public init(key: Key, algorithm: Algorithm? = nil, kid: String? = nil) throws {
        guard key.isPrivate else {
            throw TokenError(.keyUnsuitable, "cannot sign with a public key (\(key)); give the private key")
        }
        // A JWK states its intended use (RFC 7517 §4.2, §4.3): an encryption key never signs.
        if let use = key.use, use != "sig" {
            throw TokenError(.keyUnsuitable, "the key is for \"use\": \"\(use.prefix(40))\", not for signatures (\"sig\")")
        }
        if let operations = key.keyOperations, !operations.contains("sign") {
            throw TokenError(.keyUnsuitable, "the key's key_ops do not include \"sign\"")
        }
        try self.init(sizingWith: key, algorithm: algorithm, kid: kid)
    }

    /// A signer for predicting what a token will look like (its header and signature length)
    /// with the same algorithm and kid decisions as ``init(key:algorithm:kid:)``, which also
    /// accepts a public key: a size check may hold only the public half. Signing with a
    /// public key throws.
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` or ``TokenError/Code/weakKey`` as
    ///   ``init(key:algorithm:kid:)`` does, except for a public key.
    public init(sizingWith key: Key, algorithm: Algorithm? = nil, kid: String? = nil) throws {
        var chosen = algorithm ?? key.defaultAlgorithm
        if chosen.signingName != chosen {
            guard key.allowedAlgorithms.contains(chosen) else {
                throw TokenError(.keyUnsuitable, "\(chosen) does not fit the key (\(key))")
            }
            chosen = chosen.signingName
        }
        guard key.allowedAlgorithms.contains(chosen) else {
            if let reason = key.hmacSecretTooShortReason(for: chosen) { throw TokenError(.weakKey, reason) }
            let allowed = key.allowedAlgorithms.map(\.rawValue).joined(separator: ", ")
            throw TokenError(.keyUnsuitable, "\(chosen) does not fit the key (\(key)); it allows \(allowed)")
        }
        self.key = key
        self.algorithm = chosen
        self.kid = kid ?? Self.defaultKeyID(for: key)
    }

    /// The `kid` written when none is asked for: the key's own `kid`, else the RFC 7638
    /// thumbprint of a public key; `nil` for a raw HMAC secret, whose thumbprint would
    /// publish a hash of it.
    public static func defaultKeyID(for key: Key) -> String? {
        if let own = key.kid { return own }
        if case .oct = key.type { return nil }
        return key.thumbprint()
    }

    /// The RFC 7638 thumbprint length (SHA-256, base64url): the `kid` a public-key algorithm
    /// gets by default, and the length assumed when sizing a token for no particular key.
    public static let thumbprintKidLength = 43

    /// The `kid` a token gets by default when signed with `algorithm` by a key not known yet:
    /// a thumbprint-long id (``thumbprintKidLength`` characters) for a public-key algorithm,
    /// `nil` for HMAC (a raw secret gets none, see ``defaultKeyID(for:)``).
    public static func defaultKeyID(forAlgorithm algorithm: Algorithm) -> String? {
        algorithm.family == .hmac ? nil : String(repeating: "k", count: thumbprintKidLength)
    }

    /// The length in bytes of this signer's signatures (RSA: the modulus; Ed448: 114).
    public var signatureByteCount: Int {
        switch key.type {
        case .rsa(let bits): return algorithm.signatureByteCount(rsaModulusBits: bits)
        case .okp(let curve): return algorithm.signatureByteCount(okpCurve: curve)
        case .ec, .oct: return algorithm.signatureByteCount()
        }
    }

    /// The header this signer writes.
    ///
    /// - Parameters:
    ///   - type: the `typ` value, `"JWT"` by default; `nil` omits it.
    ///   - extra: more header members (`--header`), which may not include ``reservedHeaderNames``.
    /// - Throws: ``TokenError/Code/invalidValue`` for a reserved member name.
    public func header(type: String? = "JWT", extra: JSONObject = JSONObject()) throws -> JSONObject {
        for name in extra.names where Self.reservedHeaderNames.contains(name) {
            throw TokenError.invalidValue("header member \"\(name)\" cannot be set; tokenctl writes alg itself and supports no crit/b64 extensions")
        }
        return JOSEHeader.forSigning(algorithm: algorithm, kid: kid, type: type, extra: extra)
    }

    /// Signs a claim set.
    ///
    /// - Parameters:
    ///   - claims: the payload; serialized compactly, members in their order.
    ///   - type: the `typ` header value.
    ///   - extraHeader: more header members.
    /// - Returns: the compact token `header.payload.signature`.
    /// - Throws: ``TokenError/Code/invalidValue`` for a reserved header member,
    ///   ``TokenError/Code/backendFailure`` when OpenSSL fails.
    public func sign(_ claims: JSONObject, type: String? = "JWT", extraHeader: JSONObject = JSONObject()) throws -> String {
        let header = try header(type: type, extra: extraHeader)
        return try sign(payload: JSONValue.object(claims).serializedBytes, header: header)
    }

    /// Signs arbitrary payload bytes under a prepared header (whose `alg` must be this signer's).
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for a public key (``init(sizingWith:algorithm:kid:)``),
    ///   ``TokenError/Code/backendFailure``.
    public func sign(payload: [UInt8], header: JSONObject) throws -> String {
        guard key.isPrivate else {
            throw TokenError(.keyUnsuitable, "cannot sign with a public key (\(key)); give the private key")
        }
        let signingInput = Base64URL.encode(JSONValue.object(header).serializedBytes) + "." + Base64URL.encode(payload)
        let signature = try key.signature(for: Array(signingInput.utf8), algorithm: algorithm)
        return signingInput + "." + Base64URL.encode(signature)
    }
}
