extension KeySource {
    /// The one key that signs among `keys`, read from one source such as a key file.
    ///
    /// With `kid`, a source of several keys (or of keys that have a `kid`) is narrowed to the
    /// key whose `kid` is `kid`, or to a kid-less key whose RFC 7638 thumbprint is `kid`
    /// (compared byte for byte); a single key without a `kid` is taken as it is (`kid` then
    /// only names it in the header). What remains must be exactly one key.
    ///
    /// - Parameters:
    ///   - keys: the keys of the source, in order (``keys(from:password:)``).
    ///   - kid: the key id asked for, if any.
    ///   - source: how to name the source in errors, such as its path.
    /// - Throws: ``TokenError/Code/keyUnsuitable`` when no key has that id, or when several
    ///   keys remain (with the remedy ``TokenError/Remedy/nameKeyID``).
    public static func signingKey(among keys: [Key], kid: String?, source: String) throws -> Key {
        var candidates = keys
        if let kid, keys.count > 1 || keys.contains(where: { $0.kid != nil }) {
            candidates = keys.filter { ($0.kid ?? $0.thumbprint()).isByteEqual(to: kid) }
        }
        guard candidates.count == 1 else {
            if candidates.isEmpty {
                throw TokenError(.keyUnsuitable, "'\(source)' has no key with kid \"\(kid ?? "")\"")
            }
            throw TokenError(.keyUnsuitable,
                "'\(source)' holds \(candidates.count) keys; name one by its kid (or by the RFC 7638 thumbprint of a key without one)",
                remedy: .nameKeyID)
        }
        return candidates[0]
    }
}
