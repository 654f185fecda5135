extension Key {
    /// A key from one JWK (RFC 7517) of `kty` RSA, EC, OKP or oct.
    ///
    /// Strict: base64url members must be canonical; EC and OKP coordinates and private
    /// scalars must have exactly the curve's length; an EC point must be on its curve; a
    /// private key must match its public part; the RSA public exponent must be odd and
    /// small; RSA private keys need all of d, p, q, dp, dq and qi.
    /// - Parameter jwk: the JWK object.
    /// - Throws: ``TokenError/Code/malformedKey`` (unknown `kty`, missing or malformed member,
    ///   multi-prime RSA (`oth`), inconsistent key, unknown `alg` or one that does not fit
    ///   the `kty`); ``TokenError/Code/weakKey`` (RSA under 2048 bits or with the ROCA
    ///   fingerprint, oct shorter than 32 bytes or than its `alg`'s hash).
    public init(jwk: JSONObject) throws {
        let reader = JWKReader(jwk)
        let kty = try reader.string("kty", required: true)!
        // Byte-exact: a `switch` on String would take "O\u{212A}P" (KELVIN SIGN) for "OKP".
        switch kty.utf8.allSatisfy({ $0 < 0x80 }) ? kty : "" {
        case "RSA": self.init(material: .asymmetric(try Key.rsaKey(reader)))
        case "EC": self.init(material: .asymmetric(try Key.ecKey(reader)))
        case "OKP": self.init(material: .asymmetric(try Key.okpKey(reader)))
        case "oct":
            // The decoded secret goes straight into the key's owned buffer (the JWK's "k"
            // string itself is a Swift String, which cannot be wiped).
            let k = try reader.secret("k")!
            guard k.count >= 32 else {
                throw TokenError(.weakKey, "the oct key is \(k.count) bytes; HMAC keys need at least 32")
            }
            if let what = k.withUnsafeBytes(Key.publicKeyMaterialKind(in:)) {
                throw TokenError(.keyUnsuitable, "the oct key's secret is \(what), which is public key material, not a secret")
            }
            self.init(material: .secret(k))
        default:
            throw TokenError.malformedKey("unsupported JWK kty \"\(kty)\" (expected RSA, EC, OKP or oct)")
        }
        try rejectROCAModulus()
        kid = try reader.string("kid")
        use = try reader.string("use")
        keyOperations = try reader.stringArray("key_ops")
        if let name = try reader.string("alg") {
            guard let algorithm = Algorithm(rawValue: name) else {
                throw TokenError.malformedKey("JWK alg \"\(name)\" is not a supported JWS algorithm")
            }
            if case .oct(let byteCount) = type, algorithm.family == .hmac,
                let hashLength = algorithm.hashByteCount, hashLength > byteCount
            {
                throw TokenError(.weakKey, "the oct key is \(byteCount) bytes; \(name) needs at least \(hashLength)")
            }
            guard fittingAlgorithms.contains(algorithm) else {
                throw TokenError.malformedKey("JWK alg \(name) does not fit a key of kty \(kty)")
            }
            self.algorithm = algorithm
        }
    }

    private static func rsaKey(_ reader: JWKReader) throws -> EVPKey {
        if reader.object.contains("oth") {
            throw TokenError.malformedKey("multi-prime RSA keys (JWK \"oth\") are not supported")
        }
        var components = RSAComponents(n: try reader.bytes("n")!, e: try reader.bytes("e")!)
        if reader.object.contains("d") {
            let names = ["p", "q", "dp", "dq", "qi"]
            guard names.allSatisfy(reader.object.contains) else {
                throw TokenError.malformedKey("the RSA private JWK needs all of p, q, dp, dq and qi besides d")
            }
            components.privateParts = RSAPrivateParts(
                d: try reader.secret("d")!, p: try reader.secret("p")!, q: try reader.secret("q")!,
                dp: try reader.secret("dp")!, dq: try reader.secret("dq")!, qi: try reader.secret("qi")!)
        }
        return try EVPKey.rsa(components)
    }

    private static func ecKey(_ reader: JWKReader) throws -> EVPKey {
        let name = try reader.string("crv", required: true)!
        guard let curve = ECCurve(jwkName: name) else {
            throw TokenError.malformedKey("unsupported EC curve \"\(name)\" (expected P-256, P-384, P-521 or secp256k1)")
        }
        let length = curve.coordinateByteCount
        return try EVPKey.ec(
            curve: curve, x: try reader.bytes("x", length: length)!, y: try reader.bytes("y", length: length)!,
            d: try reader.secret("d", required: false, length: length))
    }

    private static func okpKey(_ reader: JWKReader) throws -> EVPKey {
        let name = try reader.string("crv", required: true)!
        guard let curve = OKPCurve(jwkName: name) else {
            throw TokenError.malformedKey("unsupported OKP curve \"\(name)\" (expected Ed25519 or Ed448)")
        }
        let length = curve.keyByteCount
        return try EVPKey.okp(
            curve: curve, x: try reader.bytes("x", length: length)!,
            d: try reader.secret("d", required: false, length: length))
    }

    /// The public JWK: `kty` and the public members (RSA: n, e; EC: crv, x, y; OKP: crv, x),
    /// then `kid`, `alg` and `use` when set. `nil` for HMAC secrets, which have no public part.
    public func publicJWK() -> JSONObject? {
        guard let members = try? publicMembers() else { return nil }
        return withMetadata(JSONObject(members.map { ($0.0, .string($0.1)) }), includeOperations: false)
    }

    /// The full private JWK (RSA: d, p, q, dp, dq, qi; EC and OKP: d; oct: k) followed by
    /// `kid`, `alg`, `use` and `key_ops` when set.
    ///
    /// The private members are Swift `String`s in the result, which cannot be wiped: they
    /// stay in memory until it is freed and reused. The keyset writes `keys.json` without this
    /// (see ``Keyset/privateFileBytes()``); the intermediate encoding buffers here are wiped.
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for a public-only key;
    ///   ``TokenError/Code/backendFailure`` when OpenSSL cannot export the key.
    public func privateJWK() throws -> JSONObject {
        var object = try privateJWKSkeleton()
        for (name, secret) in try privateMembers() {
            var text: [UInt8] = []
            text.reserveCapacity(secret.base64URLCount)
            secret.appendBase64URL(to: &text)
            object[name] = .string(String(decoding: text, as: UTF8.self))
            SecretBytes.wipe(&text)
        }
        return withMetadata(object, includeOperations: true)
    }

    /// The private JWK without its private members and metadata: `kty` and the public
    /// members, in the order ``privateJWK()`` writes them (the private members follow).
    func privateJWKSkeleton() throws -> JSONObject {
        guard isPrivate else { throw TokenError(.keyUnsuitable, "\(self) has no private part to export") }
        if case .secret = material { return JSONObject([("kty", .string("oct"))]) }
        return JSONObject(try publicMembers().map { ($0.0, .string($0.1)) })
    }

    /// The private members in JWK order (RSA: d, p, q, dp, dq, qi; EC and OKP: d; oct: k),
    /// each in an owned buffer wiped when released: exported by OpenSSL straight into it, or,
    /// for an HMAC secret, the key's own buffer (shared, not copied).
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for a public-only key;
    ///   ``TokenError/Code/backendFailure`` when OpenSSL cannot export the key.
    func privateMembers() throws -> [(String, SecretBytes)] {
        guard isPrivate else { throw TokenError(.keyUnsuitable, "\(self) has no private part to export") }
        switch material {
        case .secret(let secret):
            return [("k", secret)]
        case .asymmetric(let key):
            switch key.kind {
            case .rsa:
                let names = ["d", "rsa-factor1", "rsa-factor2", "rsa-exponent1", "rsa-exponent2", "rsa-coefficient1"]
                let values = names.compactMap { key.secretBignum($0) }
                guard values.count == names.count else {
                    throw TokenError(.backendFailure, "the RSA private key has no CRT parameters to export")
                }
                return Array(zip(["d", "p", "q", "dp", "dq", "qi"], values))
            case .ec(let curve):
                guard let d = key.secretECScalar(curve) else {
                    throw TokenError(.backendFailure, "the EC private scalar could not be exported")
                }
                return [("d", d)]
            case .okp:
                return [("d", try key.secretRawPrivateKey())]
            }
        }
    }

    /// The RFC 7638 JWK thumbprint: SHA-256 over the required members in lexicographic
    /// order (RSA: e, kty, n; EC: crv, kty, x, y; OKP: crv, kty, x; oct: k, kty), base64url.
    /// For an HMAC secret, the JSON hashed (which holds the secret) is built in a buffer that
    /// is wiped after hashing.
    public func thumbprint() -> String {
        if case .secret(let secret) = material {
            let head = Array(#"{"k":""#.utf8), tail = Array(#"","kty":"oct"}"#.utf8)
            var json: [UInt8] = []
            json.reserveCapacity(head.count + secret.base64URLCount + tail.count)
            json += head
            secret.appendBase64URL(to: &json)
            json += tail
            defer { SecretBytes.wipe(&json) }
            return Base64URL.encode((try? Digest.sha256(json)) ?? [])
        }
        var required = (try? publicMembers()) ?? []
        required.sort { $0.0 < $1.0 }
        let json = JSONObject(required.map { ($0.0, .string($0.1)) }).serialized
        return Base64URL.encode((try? Digest.sha256(Array(json.utf8))) ?? [])
    }

    /// kty and the public members, in readable order (kty first).
    private func publicMembers() throws -> [(String, String)] {
        guard case .asymmetric(let key) = material else {
            throw TokenError(.keyUnsuitable, "an HMAC secret has no public part")
        }
        switch key.kind {
        case .rsa:
            guard let n = key.bignumBytes("n"), let e = key.bignumBytes("e") else {
                throw TokenError(.backendFailure, "the RSA public key could not be exported")
            }
            return [("kty", "RSA"), ("n", Base64URL.encode(n)), ("e", Base64URL.encode(e))]
        case .ec(let curve):
            guard let (x, y) = key.ecCoordinates(curve) else {
                throw TokenError(.backendFailure, "the EC public key could not be exported")
            }
            return [("kty", "EC"), ("crv", curve.jwkName), ("x", Base64URL.encode(x)), ("y", Base64URL.encode(y))]
        case .okp(let curve):
            return [("kty", "OKP"), ("crv", curve.jwkName), ("x", Base64URL.encode(try key.rawPublicKey()))]
        }
    }

    func withMetadata(_ base: JSONObject, includeOperations: Bool) -> JSONObject {
        var object = base
        if let kid { object["kid"] = .string(kid) }
        if let algorithm { object["alg"] = .string(algorithm.rawValue) }
        if let use { object["use"] = .string(use) }
        if includeOperations, let keyOperations { object["key_ops"] = .array(keyOperations.map(JSONValue.string)) }
        return object
    }
}

/// Typed, strict access to JWK members; every failure is `malformedKey` naming the member.
struct JWKReader {
    let object: JSONObject

    init(_ object: JSONObject) { self.object = object }

    /// A string member; `nil` when absent and not required.
    func string(_ name: String, required: Bool = false) throws -> String? {
        guard let value = object[name] else {
            if required { throw TokenError.malformedKey("the JWK has no \"\(name)\" member") }
            return nil
        }
        guard let string = value.stringValue else {
            throw TokenError.malformedKey("JWK member \"\(name)\" is \(value.typeNameWithArticle), not a string")
        }
        return string
    }

    /// A base64url member's bytes (required unless `required` is false), of exactly `length` bytes when given.
    func bytes(_ name: String, required: Bool = true, length: Int? = nil) throws -> [UInt8]? {
        guard let text = try string(name, required: required) else { return nil }
        let bytes: [UInt8]
        do {
            bytes = try Base64URL.decode(text)
        } catch {
            // The decoder's reason quotes the offending character: not repeated, as the
            // member may be private key material.
            throw TokenError.malformedKey("JWK member \"\(name)\" is not strict unpadded base64url")
        }
        if let length, bytes.count != length {
            throw TokenError.malformedKey("JWK member \"\(name)\" is \(bytes.count) bytes; expected exactly \(length)")
        }
        if bytes.isEmpty { throw TokenError.malformedKey("JWK member \"\(name)\" is empty") }
        return bytes
    }

    /// A private member's bytes (`d`, `k`, the RSA factors and CRT members) in an owned
    /// buffer; the decoded array is wiped as soon as it is copied there, also when the length
    /// is wrong. Same rules and errors as ``bytes(_:required:length:)``.
    func secret(_ name: String, required: Bool = true, length: Int? = nil) throws -> SecretBytes? {
        guard var decoded = try bytes(name, required: required) else { return nil }
        let secret = SecretBytes(wiping: &decoded)
        if let length, secret.count != length {
            throw TokenError.malformedKey("JWK member \"\(name)\" is \(secret.count) bytes; expected exactly \(length)")
        }
        return secret
    }

    /// An array-of-strings member, `nil` when absent.
    func stringArray(_ name: String) throws -> [String]? {
        guard let value = object[name] else { return nil }
        guard let elements = value.arrayValue else {
            throw TokenError.malformedKey("JWK member \"\(name)\" is \(value.typeNameWithArticle), not an array")
        }
        return try elements.map { element in
            guard let string = element.stringValue else {
                throw TokenError.malformedKey("JWK member \"\(name)\" contains \(element.typeNameWithArticle), not a string")
            }
            return string
        }
    }
}
