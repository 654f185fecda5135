import TokenKit

/// Which keyset holds the secrets of keyset-bound API keys, for `sign --api-key` and
/// `verify`: `--keyset DIR`, or the default keyset (`--bound` when minting; when verifying,
/// whenever no key option is given).
enum APIKeyKeyset {
    /// The keyset that mints: `--keyset DIR`, or the default keyset with `--bound` (created,
    /// with an ES256 signing key, when missing); `nil` for opaque keys. A keyset without an
    /// API-key secret gets its first ones, which is said on standard error.
    static func forMinting(_ arguments: ParsedArguments, _ console: Console, now: Int64) throws -> Keyset? {
        let directory: String
        var creatingWith: Algorithm?
        if let given = arguments.value("keyset") {
            directory = given
        } else if arguments.has("bound") {
            guard let defaultDirectory = Keyset.defaultDirectory(environment: console.environment) else {
                throw TokenError(.keyUnsuitable, "no default keyset location for a keyset-bound key (set HOME or TOKENCTL_KEYSET, or pass --keyset DIR)")
            }
            directory = defaultDirectory
            creatingWith = .es256
        } else {
            return nil
        }
        let prepared = try Keyset.prepareForBoundKeys(in: directory, now: now, creatingWith: creatingWith)
        if prepared.createdKeyset {
            console.warn("sign", "created a new ES256 keyset in \(directory); publish \(directory)/\(Keyset.publicFileName) to verifiers")
        }
        if !prepared.addedSecrets.isEmpty {
            let described = prepared.addedSecrets.map { "\($0.kid) (\($0.state.rawValue))" }.joined(separator: " and ")
            console.warn("sign", "keyset \(directory) had no API-key secret: created \(described) in \(Keyset.privateFileName); rotate-keys rotates them with the signing keys")
        }
        return prepared.keyset
    }

    /// The keyset directory that verifies keyset-bound keys: `--keyset DIR`, else the default
    /// keyset when no key option is given and it exists; `nil` when there is none.
    static func verifyingDirectory(_ arguments: ParsedArguments, _ console: Console) -> String? {
        if let given = arguments.value("keyset") { return given }
        guard !KeyOptions.sources.contains(where: arguments.has),
            let directory = Keyset.defaultDirectory(environment: console.environment),
            Keyset.exists(in: directory)
        else { return nil }
        return directory
    }
}
