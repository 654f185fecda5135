/// The member names JWT payloads and JOSE headers use again and again, each made into a
/// `String` once: the parser hands out these strings for a name it finds here instead of
/// building the same short string for every token of a batch (~130 instructions a name:
/// callgrind). A name not here is built as usual; the strings are equal either way.
enum WellKnownNames {
    /// The string for a packed name, or `nil` when the name is not well known.
    static func string(for name: PackedName) -> String? {
        var slot = Self.slot(of: name)
        while let entry = table[slot] {
            if entry.name == name { return entry.string }
            slot = (slot + 1) & (table.count - 1)
        }
        return nil
    }

    /// Registered claims (RFC 7519 §4.1), JOSE header parameters (RFC 7515 §4.1, RFC 7797),
    /// and claims common in access and ID tokens (OpenID Connect, OAuth 2.0 RFC 8693 and
    /// RFC 9068, and the usual vendor spellings).
    static let names = [
        "iss", "sub", "aud", "exp", "nbf", "iat", "jti",
        "alg", "typ", "kid", "cty", "crit", "b64", "jku", "jwk", "x5u", "x5c", "x5t", "x5t#S256", "zip",
        "scope", "scp", "roles", "groups", "permissions", "azp", "client_id", "nonce", "sid", "auth_time",
        "acr", "amr", "at_hash", "c_hash", "act", "may_act", "cnf", "tid", "oid", "uid", "upn", "ver",
        "idp", "email", "name", "given_name", "family_name", "locale", "picture", "tenant", "org_id", "user_id",
    ]

    /// Open addressing over a power of two of slots, at most half of them used.
    private static let table: [(name: PackedName, string: String)?] = {
        var table = [(name: PackedName, string: String)?](repeating: nil, count: 128)
        for name in names {
            let packed = PackedName(name)
            var slot = slot(of: packed)
            while table[slot] != nil { slot = (slot + 1) & (table.count - 1) }
            table[slot] = (packed, name)
        }
        return table
    }()

    /// The first slot tried for `name` (a multiplicative hash of its two words).
    private static func slot(of name: PackedName) -> Int {
        Int(truncatingIfNeeded: ((name.low ^ name.high &* 31) &* 0x9E37_79B9_7F4A_7C15) >> 57)
    }
}
