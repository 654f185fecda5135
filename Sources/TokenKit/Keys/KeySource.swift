/// Reads keys from the bytes of a key file, whatever its format.
public enum KeySource {
    /// The largest key input accepted: 1 MiB.
    public static let maximumByteCount = 1 << 20
    /// The most keys a JWKS may hold; a larger one is refused before any key is imported.
    public static let maxJWKSKeys = 1_000

    /// The keys in `bytes`, detected by content (never by file extension).
    ///
    /// - PEM: every block that is a key or certificate becomes a key, in order (other blocks
    ///   such as `EC PARAMETERS` are skipped).
    /// - A JWK JSON object: one key.
    /// - A JWKS `{"keys": [...]}`: its keys. Keys with an unknown `kty`, an `alg` that is not
    ///   a JWS algorithm (such as `RSA-OAEP`) or `"use": "enc"` are skipped; any other bad key
    ///   fails the whole set.
    ///
    /// Wiping: `bytes` and `password` are the caller's to wipe. The PEM blocks cut from
    /// `bytes` and the decoded private JWK members are wiped here; the JSON strings a JWK or
    /// JWKS is parsed into are Swift strings, which are not.
    /// - Parameters:
    ///   - bytes: the file's contents.
    ///   - password: the password of encrypted PEM private keys.
    /// - Throws: ``TokenError/Code/malformedKey`` (input over 1 MiB, unrecognized format,
    ///   malformed JSON, a JWKS without a usable key, or any error of the key readers);
    ///   ``TokenError/Code/weakKey``.
    public static func keys(from bytes: [UInt8], password: [UInt8]? = nil) throws -> [Key] {
        guard bytes.count <= maximumByteCount else {
            throw TokenError.malformedKey("the key input is \(bytes.count) bytes; at most 1 MiB is accepted")
        }
        let first = bytes.first(where: { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) })
        if first == UInt8(ascii: "{") { return try keys(fromJSON: bytes) }
        if PEMBlock.find(Array("-----BEGIN ".utf8), in: bytes, from: 0) != nil {
            // The blocks are copies of the key file's text (private keys included): wiped here.
            var blocks = PEMBlock.blocks(in: bytes)
            defer { for index in blocks.indices { blocks[index].wipe() } }
            guard blocks.contains(where: { $0.content != nil }) else { throw Key.noKeyBlockError(blocks) }
            var keys: [Key] = []
            for index in blocks.indices where blocks[index].content != nil {  // by index: no copy outlives the wipe
                keys.append(try Key(pemBlock: blocks[index], password: password))
            }
            return keys
        }
        if first == 0x30 {
            throw TokenError.malformedKey(
                "the key looks like binary DER; expected PEM (convert with openssl pkey -inform DER), a JWK or a JWKS")
        }
        throw TokenError.malformedKey("expected a PEM key or certificate, a JWK or a JWKS (JSON with \"keys\")")
    }

    private static func keys(fromJSON bytes: [UInt8]) throws -> [Key] {
        let object = try JSONParser.parseObject(bytes, what: "the key file", code: .malformedKey)
        guard let keysValue = object["keys"] else {
            guard object.contains("kty") else {
                throw TokenError.malformedKey("the JSON object is neither a JWK (no \"kty\") nor a JWKS (no \"keys\")")
            }
            return [try Key(jwk: object)]
        }
        guard let elements = keysValue.arrayValue else {
            throw TokenError.malformedKey("the JWKS \"keys\" member is \(keysValue.typeNameWithArticle), not an array")
        }
        if elements.count > maxJWKSKeys {
            throw TokenError.malformedKey("the JWKS has \(elements.count) keys; at most \(maxJWKSKeys) are read")
        }
        var keys: [Key] = []
        for (index, element) in elements.enumerated() {
            guard let jwk = element.objectValue else {
                throw TokenError.malformedKey("JWKS key \(index) is \(element.typeNameWithArticle), not an object")
            }
            if isSkipped(jwk) { continue }
            do {
                keys.append(try Key(jwk: jwk))
            } catch let error as TokenError {
                let name = jwk["kid"]?.stringValue.map { " (kid \($0))" } ?? ""
                throw TokenError(error.code, "JWKS key \(index)\(name): \(error.reason)", remedy: error.remedy)
            }
        }
        guard !keys.isEmpty else {
            throw TokenError.malformedKey("the JWKS has no usable signature key (RSA, EC, OKP or oct)")
        }
        return keys
    }

    /// Whether a JWKS member is not a JWS signature key we know, and is skipped.
    private static func isSkipped(_ jwk: JSONObject) -> Bool {
        guard let kty = jwk["kty"]?.stringValue, ["RSA", "EC", "OKP", "oct"].containsBytes(of: kty) else { return true }
        if jwk["use"]?.stringValue?.isByteEqual(to: "enc") == true { return true }
        if let name = jwk["alg"]?.stringValue, Algorithm(rawValue: name) == nil, !name.isByteEqual(to: "none") { return true }
        if kty.isByteEqual(to: "OKP"), let crv = jwk["crv"]?.stringValue, ["X25519", "X448"].containsBytes(of: crv) { return true }
        return false
    }
}
