/// A JWK Set (RFC 7517 §5): the keys of a keyset, for publishing and storage.
public struct JWKSet: Sendable {
    /// The keys, in order.
    public var keys: [Key]

    /// A set of keys.
    public init(keys: [Key]) { self.keys = keys }

    /// `{"keys": [public JWKs]}` for publishing as `jwks.json`; HMAC secrets are omitted.
    public func publicJSON() -> JSONObject {
        JSONObject([("keys", .array(keys.compactMap { $0.publicJWK().map(JSONValue.object) }))])
    }

    /// `{"keys": [private JWKs]}` for the keyset's private file.
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` when a key is public-only;
    ///   ``TokenError/Code/backendFailure``.
    public func privateJSON() throws -> JSONObject {
        JSONObject([("keys", .array(try keys.map { .object(try $0.privateJWK()) }))])
    }
}
