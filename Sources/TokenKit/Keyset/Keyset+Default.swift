extension Keyset {
    /// The algorithm of a default keyset created on first use.
    public static let defaultAlgorithm = Algorithm.es256

    /// The keyset a signer uses when given no key: the one in
    /// ``defaultDirectory(environment:)``, created there with one ``defaultAlgorithm`` key when
    /// it does not exist yet (as `tokenctl sign` does on first use).
    ///
    /// - Returns: the keyset, and whether this call created it (a front end should say so,
    ///   and that its public file is to be published to verifiers).
    /// - Throws: ``TokenError/Code/keyUnsuitable`` (remedy ``TokenError/Remedy/giveKey``) when
    ///   the environment names no default location; the errors of ``load(from:)`` and
    ///   ``create(in:algorithm:now:)``.
    public static func loadOrCreateDefault(environment: [String: String], now: Int64) throws -> (keyset: Keyset, created: Bool) {
        guard let directory = defaultDirectory(environment: environment) else {
            throw TokenError(.keyUnsuitable,
                "no key given and no default keyset location (set HOME, XDG_CONFIG_HOME or TOKENCTL_KEYSET)", remedy: .giveKey)
        }
        if exists(in: directory) { return (try load(from: directory), false) }
        return (try create(in: directory, algorithm: defaultAlgorithm, now: now), true)
    }

    /// The default keyset when one exists (``defaultDirectory(environment:)``), else `nil`:
    /// what a verifier, or a prediction of what a signer would write, uses when given no key.
    ///
    /// - Throws: the errors of ``load(from:)``.
    public static func existingDefault(environment: [String: String]) throws -> Keyset? {
        guard let directory = defaultDirectory(environment: environment), exists(in: directory) else { return nil }
        return try load(from: directory)
    }
}
