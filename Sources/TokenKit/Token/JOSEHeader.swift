/// Building and reading the JOSE header of a JWS (RFC 7515 §4).
public enum JOSEHeader {
    /// The header `sign` writes: `alg`, then `kid` when there is one, then `typ`, then any
    /// extra members in their given order (an extra member may not replace `alg`).
    ///
    /// - Parameters:
    ///   - algorithm: the signing algorithm.
    ///   - kid: the key id, or `nil` for none.
    ///   - type: the `typ` value; `"JWT"` by default, `nil` to omit it.
    ///   - extra: further header members (`--header NAME=VALUE`); they replace `kid`/`typ` when named so.
    public static func forSigning(
        algorithm: Algorithm, kid: String?, type: String? = "JWT", extra: JSONObject = JSONObject()
    ) -> JSONObject {
        var header = JSONObject()
        header["alg"] = .string(algorithm.rawValue)
        if let kid { header["kid"] = .string(kid) }
        if let type { header["typ"] = .string(type) }
        for member in extra.members where member.name != "alg" {
            header[member.name] = member.value
        }
        return header
    }
}
