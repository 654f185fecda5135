/// The checks every JOSE header must pass before any key is tried (RFC 8725 §3.1, RFC 7515 §4.1.11).
enum HeaderPolicy {
    /// The header parameters this implementation understands as critical extensions: none.
    /// (`b64` of RFC 7797 is deliberately unsupported: it changes what the signature covers.)
    static let understoodCriticalParameters: Set<String> = []

    /// The header parameters that carry a key or point at one (RFC 7515 §4.1.2, 4.1.3, 4.1.5,
    /// 4.1.6): never used to find a key (RFC 8725 §3.10), only reported by `decode`.
    static let keyCarryingParameters = ["jwk", "jku", "x5u", "x5c"]

    /// The algorithm a header asks for, after rejecting `none`, unknown names, `crit`
    /// extensions we do not implement, and `b64`.
    ///
    /// - Throws: ``TokenError/Code/algorithmNotAllowed``, ``TokenError/Code/unsupportedCritical``,
    ///   ``TokenError/Code/malformed``.
    static func algorithm(of header: HeaderCache.Entry) throws -> Algorithm {
        // A known algorithm is never `none` (`Algorithm(rawValue: "none")` is nil): the name
        // is read only to say what is wrong.
        guard let algorithm = header.algorithm else {
            let name = header.algorithmName
            if name.isASCIICaseInsensitiveByteEqual(to: "none") {
                throw TokenError(.algorithmNotAllowed, "alg \"\(name)\" (unsigned token) is never accepted")
            }
            throw TokenError(.algorithmNotAllowed, "unknown alg \"\(name.prefix(40))\"")
        }
        if header.hasCriticalParameters { try checkCritical(header.header) }
        return algorithm
    }

    private static func checkCritical(_ header: JSONObject) throws {
        if let crit = header["crit"] {
            guard let names = crit.arrayValue?.compactMap(\.stringValue), names.count == crit.arrayValue?.count else {
                throw TokenError.malformed("header \"crit\" must be an array of strings")
            }
            if names.isEmpty { throw TokenError.malformed("header \"crit\" must not be empty (RFC 7515 §4.1.11)") }
            if Set(names.map { Array($0.utf8) }).count != names.count { throw TokenError.malformed("header \"crit\" lists a name twice") }
            for name in names {
                if !header.contains(name) {
                    throw TokenError.malformed("header \"crit\" lists \"\(name)\", which the header does not contain")
                }
                if !understoodCriticalParameters.containsBytes(of: name) {
                    throw TokenError(.unsupportedCritical, "critical header extension \"\(name)\" is not supported")
                }
            }
        }
        if header.contains("b64") {
            throw TokenError(.unsupportedCritical, "header \"b64\" (RFC 7797 unencoded payload) is not supported")
        }
    }
}
