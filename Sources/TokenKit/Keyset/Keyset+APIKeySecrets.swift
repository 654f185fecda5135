/// A keyset as the store of the HMAC secrets of keyset-bound API keys.
///
/// A secret is a record of kind `api_key_secret` in `keys.json`: an `oct` JWK of 32 random
/// bytes whose `kid` is the secret's 8-character base62 id (the id every key minted with it
/// carries), with `alg` HS256 and the same `state`, `created`, `activated` and `retired`
/// members as a signing key. Secrets never go into `jwks.json`.
///
/// States work as for signing keys: the active secret mints, and every secret still held
/// (next, active or retiring) verifies; `rotate-keys` moves them next → active → retiring →
/// removed with the signing keys (see ``KeysetRotation``), and a removed secret no longer
/// verifies the keys minted with it.
extension Keyset: APIKeySecrets {
    /// The secret with this id (compared as UTF-8 bytes), in any state; `nil` when the keyset
    /// does not hold it (never had it, or it was removed by rotation).
    public func apiKeySecret(id: String) -> APIKeySecret? {
        let wanted = Array(id.utf8)
        guard let entry = entries(of: .apiKeySecret).first(where: { Array($0.kid.utf8) == wanted }) else { return nil }
        return try? Self.secret(of: entry)
    }

    /// The one active secret, which mints new keys.
    ///
    /// - Throws: ``TokenError/Code/keyNotFound`` when the keyset has no active API-key
    ///   secret, or more than one.
    public func activeAPIKeySecret() throws -> APIKeySecret {
        let active = entries(of: .apiKeySecret).filter { $0.state == .active }
        guard active.count == 1 else {
            let what = active.isEmpty ? "no active API-key secret" : "\(active.count) active API-key secrets (exactly one may mint)"
            throw TokenError(.keyNotFound, "keyset '\(directory)' has \(what)")
        }
        return try Self.secret(of: active[0])
    }

    /// What ``prepareForBoundKeys(in:now:creatingWith:)`` found or did.
    public struct BoundKeyPreparation: Sendable {
        /// The keyset, holding an active API-key secret.
        public let keyset: Keyset
        /// Whether the keyset itself was created (with an active signing key).
        public let createdKeyset: Bool
        /// The API-key secrets added: empty, or an active one and a next one.
        public let addedSecrets: [Entry]
    }

    /// Makes sure a keyset can mint keyset-bound API keys, and loads it.
    ///
    /// A keyset that holds no API-key secret gets two, an active one (which mints) and a next
    /// one (which becomes active at the next rotation, so that every copy of the keyset
    /// holds a secret before it mints), written atomically under the keyset's lock, like a
    /// rotation (`jwks.json` is unchanged: secrets are never published). When another process
    /// added secrets meanwhile, those are used.
    ///
    /// - Parameters:
    ///   - directory: the keyset directory.
    ///   - now: the time recorded as the secrets' creation, Unix seconds.
    ///   - algorithm: when given, a missing keyset is created (as `sign` creates the default
    ///     keyset) with one active signing key of this algorithm; when `nil`, a missing
    ///     keyset is an error.
    /// - Throws: ``TokenError/Code/inputUnreadable`` for a missing keyset (and no
    ///   `algorithm`); ``TokenError/Code/keyUnsuitable`` for a public-only keyset or one
    ///   whose secrets have other than one active; the errors of ``load(from:)`` and
    ///   ``write()``.
    public static func prepareForBoundKeys(
        in directory: String, now: Int64, creatingWith algorithm: Algorithm?
    ) throws -> BoundKeyPreparation {
        if exists(in: directory) {
            let keyset = try load(from: directory)
            if !keyset.entries(of: .apiKeySecret).isEmpty { return try ready(keyset, created: false, added: []) }
        }
        let handle: KeysetDirectory
        if algorithm != nil {
            handle = try KeysetDirectory.openOrCreate(directory)
        } else {
            guard let opened = try KeysetDirectory.open(directory) else {
                throw TokenError(.inputUnreadable, "keyset directory \(FileAccess.quoted(directory)) does not exist (create one with 'tokenctl rotate-keys')")
            }
            handle = opened
        }
        try handle.checkPrivate()
        let lock = try handle.lock(timeout: KeysetRotation.defaultLockTimeout)
        defer { lock.release() }
        let store = KeysetStore(handle)
        if handle.contains(privateFileName) {
            let before = try load(handle)
            if !before.entries(of: .apiKeySecret).isEmpty { return try ready(before, created: false, added: []) }
            var after = before
            let added = try newAPIKeySecretPair(now: now, avoiding: before.entries.map(\.kid))
            after.entries += added
            try store.replace(before, with: after, jwksOut: nil)
            return try ready(after, created: false, added: added)
        }
        if handle.contains(publicFileName) {
            throw TokenError(.keyUnsuitable, "keyset '\(directory)' holds only the public \(publicFileName), which has no API-key secrets: mint keyset-bound keys with the keyset that has \(privateFileName)")
        }
        guard let algorithm else {
            throw TokenError(.inputUnreadable, "keyset directory '\(directory)' holds no \(privateFileName) (create a keyset with 'tokenctl rotate-keys')")
        }
        var keyset = Keyset(directory: directory, entries: [try newEntry(algorithm: algorithm, state: .active, now: now)])
        let added = try newAPIKeySecretPair(now: now, avoiding: keyset.entries.map(\.kid))
        keyset.entries += added
        try store.publishThenCommit(keyset)
        return try ready(keyset, created: true, added: added)
    }

    /// Loads a keyset to verify keyset-bound API keys with.
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for a public-only keyset (`jwks.json`
    ///   alone never holds secrets); the errors of ``load(from:)``.
    public static func loadAPIKeySecrets(from directory: String) throws -> Keyset {
        let keyset = try load(from: directory)
        if keyset.isPublicOnly {
            throw TokenError(.keyUnsuitable, "keyset '\(directory)' holds only the public \(publicFileName), which has no API-key secrets: keyset-bound API keys are checked with the keyset that has \(privateFileName)")
        }
        return keyset
    }

    /// A new API-key secret entry: a random id (not among `taken`) and 32 random bytes.
    ///
    /// - Throws: ``TokenError/Code/backendFailure`` when the generator fails.
    public static func newAPIKeySecretEntry(state: State, now: Int64, avoiding taken: [String]) throws -> Entry {
        var secret = try APIKeySecret.generate()
        while taken.contains(where: { Array($0.utf8) == Array(secret.id.utf8) }) { secret = try APIKeySecret.generate() }
        var key = Key(material: .secret(secret.material))  // one buffer, shared by the record and the secret
        key.kid = secret.id
        key.algorithm = .hs256
        return Entry(key: key, kind: .apiKeySecret, state: state, created: now, activated: state == .active ? now : nil)
    }

    /// Checks a parsed `api_key_secret` record: an `oct` key whose kid is a secret id.
    ///
    /// - Throws: ``TokenError/Code/malformedKey``.
    static func checkAPIKeySecretRecord(_ entry: Entry, path: String) throws {
        guard case .oct = entry.key.type, (try? secret(of: entry)) != nil else {
            throw TokenError.malformedKey("keyset file '\(path)' has an API-key secret that is not an oct key of at least \(APIKeySecret.minimumByteCount) bytes whose kid is \(APIKey.secretIDLength) base62 characters")
        }
    }

    private static func newAPIKeySecretPair(now: Int64, avoiding taken: [String]) throws -> [Entry] {
        let active = try newAPIKeySecretEntry(state: .active, now: now, avoiding: taken)
        let next = try newAPIKeySecretEntry(state: .next, now: now, avoiding: taken + [active.kid])
        return [active, next]
    }

    private static func ready(_ keyset: Keyset, created: Bool, added: [Entry]) throws -> BoundKeyPreparation {
        do {
            _ = try keyset.activeAPIKeySecret()
        } catch let error as TokenError {
            throw TokenError(.keyUnsuitable, "\(error.reason): rotate the keyset to make one active")
        }
        return BoundKeyPreparation(keyset: keyset, createdKeyset: created, addedSecrets: added)
    }

    private static func secret(of entry: Entry) throws -> APIKeySecret {
        guard case .secret(let material) = entry.key.material else {
            throw TokenError.malformedKey("an API-key secret must be an oct key")
        }
        return try APIKeySecret(id: entry.kid, material: material)  // shared, not copied
    }
}
