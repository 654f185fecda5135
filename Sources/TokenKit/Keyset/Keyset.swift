/// A keyset: a directory of signing keys with rotation states, as `sign`, `verify` and
/// `rotate-keys` use it.
///
/// Layout: the directory (mode 0700) holds `keys.json` (mode 0600), a JWKS of private keys
/// whose members also carry `state`, `created` and `activated`, and `jwks.json` (mode 0644),
/// the public keys to serve at `/.well-known/jwks.json` (empty for an HMAC keyset).
public struct Keyset: Sendable {
    /// Where a key is in its life.
    public enum State: String, Sendable, CaseIterable {
        /// Published, not yet signing.
        case next
        /// Signs new tokens.
        case active
        /// Verifies tokens it signed earlier; signs nothing.
        case retiring
    }

    /// One key and its metadata.
    public struct Entry: Sendable {
        public var key: Key
        public var state: State
        /// When the key was made, Unix seconds.
        public var created: Int64
        /// When the key became active, Unix seconds, if it has.
        public var activated: Int64?
    }

    /// The private file's name.
    public static let privateFileName = "keys.json"
    /// The public file's name.
    public static let publicFileName = "jwks.json"

    /// The keyset directory.
    public let directory: String
    /// The keys, in file order.
    public var entries: [Entry]

    /// The default keyset directory: `$TOKENCTL_KEYSET`, else `$XDG_CONFIG_HOME/tokenctl/keyset`,
    /// else `$HOME/.config/tokenctl/keyset`; `nil` when none of them is set.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let explicit = environment["TOKENCTL_KEYSET"], !explicit.isEmpty { return explicit }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/tokenctl/keyset" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/tokenctl/keyset" }
        return nil
    }

    /// Whether a keyset exists in `directory`.
    public static func exists(in directory: String) -> Bool {
        FileAccess.exists(directory + "/" + privateFileName)
    }

    /// Loads a keyset. Without `keys.json` (a verifier given only the public file), the keys
    /// of `jwks.json` are loaded as active public keys.
    ///
    /// - Throws: ``TokenError/Code/inputUnreadable`` when neither file can be read,
    ///   ``TokenError/Code/malformedKey`` when a file is not a valid keyset.
    public static func load(from directory: String) throws -> Keyset {
        let privatePath = directory + "/" + privateFileName
        let publicPath = directory + "/" + publicFileName
        let path = FileAccess.exists(privatePath) || !FileAccess.exists(publicPath) ? privatePath : publicPath
        let bytes = try FileAccess.readRegularFile(path, what: "keyset file")
        let file = try JSONParser.parseObject(bytes, what: "keyset file '\(path)'", code: .malformedKey)
        guard let members = file["keys"]?.arrayValue else {
            throw TokenError.malformedKey("keyset file '\(path)' has no \"keys\" array")
        }
        var entries: [Entry] = []
        for member in members {
            guard let object = member.objectValue else {
                throw TokenError.malformedKey("keyset file '\(path)' has a key that is not a JSON object")
            }
            let state = object["state"]?.stringValue.flatMap(State.init(rawValue:)) ?? .active
            let created = object["created"]?.numberValue?.int64Value ?? 0
            let activated = object["activated"]?.numberValue?.int64Value
            entries.append(Entry(key: try Key(jwk: object), state: state, created: created, activated: activated))
        }
        if entries.isEmpty { throw TokenError.malformedKey("keyset file '\(path)' holds no keys") }
        return Keyset(directory: directory, entries: entries)
    }

    /// Creates a keyset with one new active key and writes it.
    ///
    /// - Parameters:
    ///   - directory: created with mode 0700 if missing.
    ///   - algorithm: the signing algorithm (ES256 for the default keyset).
    ///   - now: the creation time.
    /// - Throws: ``TokenError/Code/outputUnwritable``, ``TokenError/Code/backendFailure``.
    public static func create(in directory: String, algorithm: Algorithm, now: Int64) throws -> Keyset {
        let keyset = Keyset(directory: directory, entries: [try newEntry(algorithm: algorithm, state: .active, now: now)])
        try FileAccess.makeDirectory(directory, mode: 0o700)
        try keyset.write()
        return keyset
    }

    /// A new key for a keyset, with its kid: the RFC 7638 thumbprint for a public-key
    /// algorithm, a random id for an HMAC secret.
    public static func newEntry(algorithm: Algorithm, state: State, now: Int64) throws -> Entry {
        var key = try Key.generate(for: algorithm)
        key.algorithm = algorithm
        if case .oct = key.type {
            key.kid = Base64URL.encode(try SecureRandom.bytes(count: 12))
        } else {
            key.kid = key.thumbprint()
        }
        return Entry(key: key, state: state, created: now, activated: state == .active ? now : nil)
    }

    /// The key that signs: the active one.
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` when the keyset has no active private key.
    public func signingKey() throws -> Key {
        guard let entry = entries.last(where: { $0.state == .active }), entry.key.isPrivate else {
            throw TokenError(.keyUnsuitable, "keyset '\(directory)' has no active private key to sign with")
        }
        return entry.key
    }

    /// The keys that verify: every key in the set (next, active and retiring).
    public var verificationKeys: [Key] { entries.map(\.key) }

    /// Writes `keys.json` (0600) and `jwks.json` (0644) atomically.
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable``.
    public func write() throws {
        var privateKeys: [JSONValue] = []
        var publicKeys: [JSONValue] = []
        for entry in entries {
            var object = try entry.key.privateJWK()
            object["state"] = .string(entry.state.rawValue)
            object["created"] = .number(JSONNumber(entry.created))
            if let activated = entry.activated { object["activated"] = .number(JSONNumber(activated)) }
            privateKeys.append(.object(object))
            if let publicJWK = entry.key.publicJWK() { publicKeys.append(.object(publicJWK)) }
        }
        let privateFile = JSONValue.object(JSONObject([("keys", .array(privateKeys))])).prettyPrinted() + "\n"
        let publicFile = JSONValue.object(JSONObject([("keys", .array(publicKeys))])).prettyPrinted() + "\n"
        try FileAccess.writeAtomically(Array(privateFile.utf8), to: directory + "/" + Self.privateFileName, mode: 0o600)
        try FileAccess.writeAtomically(Array(publicFile.utf8), to: directory + "/" + Self.publicFileName, mode: 0o644)
    }
}
