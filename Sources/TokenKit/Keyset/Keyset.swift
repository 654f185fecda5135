/// A keyset: a directory of signing keys with rotation states, as `sign`, `verify` and
/// `rotate-keys` use it.
///
/// Layout: the directory (mode 0700, the caller's) holds `keys.json` (mode 0600), the private
/// file, and `jwks.json` (mode 0644), the public keys to serve at `/.well-known/jwks.json`
/// (no secret of an HMAC keyset ever goes there). The private file is
/// `{"version": 1, "keys": [records]}`; each record is a private JWK plus `kind`, `state`
/// and the times each state began (`created`, `activated`, `retired`, Unix seconds). A file
/// without `version` (written before versions existed) reads as version 1; any other version
/// is refused, never guessed at.
///
/// Two kinds of record are known: `jwt` signing keys and `api_key_secret` HMAC secrets of
/// keyset-bound API keys (an `oct` JWK whose `kid` is the secret id; see
/// `Keyset+APIKeySecrets.swift`), both with the same states. API-key secrets are never
/// published and never sign or verify tokens. Records of a `kind` this version does not know
/// are kept as they are when the file is rewritten and are never used.
///
/// Wiping: the text of `keys.json` is read into a buffer that is wiped once parsed (with
/// every buffer the read left behind), and the text written is built as bytes with the
/// private members encoded straight from their owned buffers, then wiped once written (see
/// ``privateFileBytes()``). Not wiped: the JSON values parsed from `keys.json` are Swift
/// strings, and the private members among them (`d`, `p`, `q`, `dp`, `dq`, `qi`, `k`) stay
/// in freed memory until it is reused; so do records of unknown kinds, kept as parsed. The
/// keys themselves follow ``Key``'s rules.
public struct Keyset: Sendable {
    /// Where a key is in its life: next, then active, then retiring, then removed.
    public enum State: String, Sendable, CaseIterable {
        /// Published, not yet signing.
        case next
        /// Signs new tokens; exactly one key of a kind is active.
        case active
        /// Verifies tokens it signed earlier; signs nothing.
        case retiring
    }

    /// What a record's key is for (the record's `kind` member).
    public struct Kind: RawRepresentable, Hashable, Sendable {
        /// The `kind` member's value (`"jwt"`).
        public let rawValue: String
        /// A kind by its name; names this version does not know are kept, not used.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// Keys that sign and verify JWTs (the default when a record has no `kind`).
        public static let jwt = Kind(rawValue: "jwt")
        /// HMAC secrets that mint and verify keyset-bound API keys (never published).
        public static let apiKeySecret = Kind(rawValue: "api_key_secret")
        /// The kinds this version reads.
        public static let known: [Kind] = [.jwt, .apiKeySecret]
    }

    /// One key and its metadata.
    public struct Entry: Sendable {
        /// The key, with its `kid` and `alg`.
        public var key: Key
        /// What the key is for.
        public var kind: Kind
        /// Where the key is in its life.
        public var state: State
        /// When the key was made and published, Unix seconds.
        public var created: Int64
        /// When the key became active, Unix seconds, if it has.
        public var activated: Int64?
        /// When the key became retiring, Unix seconds, if it has.
        public var retired: Int64?

        /// Creates an entry.
        public init(key: Key, kind: Kind = .jwt, state: State, created: Int64, activated: Int64? = nil, retired: Int64? = nil) {
            self.key = key
            self.kind = kind
            self.state = state
            self.created = created
            self.activated = activated
            self.retired = retired
        }

        /// When the key entered its current state.
        public var since: Int64 {
            switch state {
            case .next: return created
            case .active: return activated ?? created
            case .retiring: return retired ?? activated ?? created
            }
        }

        /// The key's id (every keyset key has one).
        public var kid: String { key.kid ?? "" }

        /// The key's algorithm, for display.
        public var algorithmName: String { key.algorithm?.rawValue ?? key.defaultAlgorithm.rawValue }
    }

    /// The private file's name.
    public static let privateFileName = "keys.json"
    /// The public file's name.
    public static let publicFileName = "jwks.json"
    /// The private file's format version that this tokenctl writes and reads.
    public static let formatVersion = 1

    /// The keyset directory.
    public let directory: String
    /// The keys of the kinds this version knows, in file order.
    public var entries: [Entry]
    /// Records of other kinds, kept verbatim.
    public var otherRecords: [JSONObject]
    /// Whether the keyset was read from `jwks.json` alone (public keys, nothing can sign).
    public private(set) var isPublicOnly: Bool

    /// Creates a keyset value (nothing is written).
    public init(directory: String, entries: [Entry], otherRecords: [JSONObject] = []) {
        self.directory = directory
        self.entries = entries
        self.otherRecords = otherRecords
        self.isPublicOnly = false
    }

    /// The default keyset directory: `$TOKENCTL_KEYSET`, else `$XDG_CONFIG_HOME/tokenctl/keyset`,
    /// else `$HOME/.config/tokenctl/keyset`; `nil` when none of them is set.
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let explicit = environment["TOKENCTL_KEYSET"], !explicit.isEmpty { return explicit }
        if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/tokenctl/keyset" }
        if let home = environment["HOME"], !home.isEmpty { return home + "/.config/tokenctl/keyset" }
        return nil
    }

    /// Whether a keyset (its private file) exists in `directory`.
    public static func exists(in directory: String) -> Bool {
        var info = stat()
        return lstat(directory + "/" + privateFileName, &info) == 0
    }

    /// Loads a keyset, checking the ownership rule first (see ``KeysetDirectory``): the
    /// directory and `keys.json` must be the caller's and closed to group and others, and
    /// neither may be a symbolic link. Without `keys.json` (a verifier given only the public
    /// file), the keys of `jwks.json` are loaded as active public keys; then the directory
    /// and file may also be root's, and only must not be writable by group or others.
    ///
    /// - Throws: ``TokenError/Code/insecureKeyset`` (with the `chmod`/`chown` that fixes it),
    ///   ``TokenError/Code/inputUnreadable`` when neither file can be read,
    ///   ``TokenError/Code/malformedKey`` when a file is not a valid keyset or has an unknown
    ///   format version.
    public static func load(from directory: String) throws -> Keyset {
        guard let handle = try KeysetDirectory.open(directory) else {
            throw TokenError(.inputUnreadable, "keyset directory \(FileAccess.quoted(directory)) does not exist (create one with 'tokenctl rotate-keys')")
        }
        return try load(handle)
    }

    static func load(_ handle: KeysetDirectory) throws -> Keyset {
        if handle.contains(privateFileName) || !handle.contains(publicFileName) {
            try handle.checkPrivate()
            var bytes = try handle.read(privateFileName, private: true)
            defer { Secrets.wipe(&bytes) }  // the file's text, with every private member
            return try parse(bytes, directory: handle.path, path: handle.path + "/" + privateFileName, isPrivate: true)
        }
        try handle.checkPublic()
        let bytes = try handle.read(publicFileName, private: false)
        var keyset = try parse(bytes, directory: handle.path, path: handle.path + "/" + publicFileName, isPrivate: false)
        keyset.isPublicOnly = true
        return keyset
    }

    /// Reads a keyset file's text. `bytes` is the caller's to wipe (``load(from:)`` wipes
    /// what it read); the JSON strings parsed from it, private members included, are Swift
    /// strings, which are not wiped.
    ///
    /// - Parameters:
    ///   - bytes: the file.
    ///   - directory: the keyset's directory.
    ///   - path: the file, for messages.
    ///   - isPrivate: whether it is the private file (a public file's keys are all active).
    /// - Throws: ``TokenError/Code/malformedKey``.
    public static func parse(_ bytes: [UInt8], directory: String, path: String, isPrivate: Bool) throws -> Keyset {
        let file = try JSONParser.parseObject(bytes, what: "keyset file '\(path)'", code: .malformedKey)
        if let version = file["version"] {
            guard let number = version.numberValue?.int64Value else {
                throw TokenError.malformedKey("keyset file '\(path)' has a \"version\" that is not a whole number")
            }
            guard number == Int64(formatVersion) else {
                throw TokenError.malformedKey("keyset file '\(path)' has format version \(number), which this tokenctl does not read (it reads version \(formatVersion)): use a newer tokenctl")
            }
        }
        guard let members = file["keys"]?.arrayValue else {
            throw TokenError.malformedKey("keyset file '\(path)' has no \"keys\" array")
        }
        var entries: [Entry] = []
        var others: [JSONObject] = []
        for member in members {
            guard let object = member.objectValue else {
                throw TokenError.malformedKey("keyset file '\(path)' has a key that is not a JSON object")
            }
            let kind = try kindOf(object, path: path)
            guard Kind.known.contains(kind) else {
                others.append(object)
                continue
            }
            let entry = try entry(object, kind: kind, path: path, isPrivate: isPrivate)
            if kind == .apiKeySecret { try checkAPIKeySecretRecord(entry, path: path) }
            entries.append(entry)
        }
        if entries.isEmpty, others.isEmpty { throw TokenError.malformedKey("keyset file '\(path)' holds no keys") }
        var seen = Set<String>()
        for entry in entries where entry.key.kid != nil {
            guard seen.insert(entry.kid).inserted else {
                throw TokenError.malformedKey("keyset file '\(path)' has two keys with kid \"\(entry.kid.prefix(80))\"")
            }
        }
        return Keyset(directory: directory, entries: entries, otherRecords: others)
    }

    private static func kindOf(_ object: JSONObject, path: String) throws -> Kind {
        guard let value = object["kind"] else { return .jwt }
        guard let name = value.stringValue else {
            throw TokenError.malformedKey("keyset file '\(path)' has a key whose \"kind\" is not a string")
        }
        return Kind(rawValue: name)
    }

    private static func entry(_ object: JSONObject, kind: Kind, path: String, isPrivate: Bool) throws -> Entry {
        var state = State.active
        if isPrivate, let value = object["state"] {
            guard let name = value.stringValue, let known = State(rawValue: name) else {
                throw TokenError.malformedKey("keyset file '\(path)' has a key with an unknown state (expected next, active or retiring)")
            }
            state = known
        }
        func time(_ name: String) throws -> Int64? {
            guard let value = object[name] else { return nil }
            guard let seconds = value.numberValue?.int64Value else {
                throw TokenError.malformedKey("keyset file '\(path)' has a key whose \"\(name)\" is not Unix seconds")
            }
            return seconds
        }
        let key: Key
        do {
            key = try Key(jwk: object)
        } catch let error as TokenError {
            throw TokenError(error.code, "keyset file '\(path)': \(error.reason)")
        }
        if isPrivate, !key.isPrivate {
            throw TokenError.malformedKey("keyset file '\(path)' has a key without its private part")
        }
        return Entry(
            key: key, kind: kind, state: state, created: try time("created") ?? 0,
            activated: try time("activated"), retired: try time("retired"))
    }

    /// Creates a keyset with one new active key and writes it, as `sign` does on first use.
    /// If another process created the keyset meanwhile, that one is loaded instead.
    ///
    /// - Parameters:
    ///   - directory: created with mode 0700 (whatever the umask) if missing.
    ///   - algorithm: the signing algorithm (ES256 for the default keyset).
    ///   - now: the creation time.
    /// - Throws: ``TokenError/Code/outputUnwritable``, ``TokenError/Code/insecureKeyset``,
    ///   ``TokenError/Code/keysetLocked``, ``TokenError/Code/backendFailure``.
    public static func create(in directory: String, algorithm: Algorithm, now: Int64) throws -> Keyset {
        let handle = try KeysetDirectory.openOrCreate(directory)
        try handle.checkPrivate()
        let lock = try handle.lock(timeout: KeysetRotation.defaultLockTimeout)
        defer { lock.release() }
        if handle.contains(privateFileName) { return try load(handle) }
        let keyset = Keyset(directory: directory, entries: [try newEntry(algorithm: algorithm, state: .active, now: now)])
        try KeysetStore(handle).publishThenCommit(keyset)
        return keyset
    }

    /// A new key for a keyset, with its kid: the RFC 7638 thumbprint for a public-key
    /// algorithm, a random id for an HMAC secret.
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for an algorithm no key can be made for,
    ///   ``TokenError/Code/backendFailure``.
    public static func newEntry(algorithm: Algorithm, state: State, now: Int64, kind: Kind = .jwt) throws -> Entry {
        var key = try Key.generate(for: algorithm)
        key.algorithm = algorithm
        if case .oct = key.type {
            key.kid = Base64URL.encode(try SecureRandom.bytes(count: 12))
        } else {
            key.kid = key.thumbprint()
        }
        return Entry(key: key, kind: kind, state: state, created: now, activated: state == .active ? now : nil)
    }

    /// The keys of one kind.
    public func entries(of kind: Kind) -> [Entry] { entries.filter { $0.kind == kind } }

    /// The key that signs: the one active JWT key.
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` when the keyset has no active private key,
    ///   or more than one active key.
    public func signingKey() throws -> Key {
        let active = entries(of: .jwt).filter { $0.state == .active }
        guard active.count == 1, active[0].key.isPrivate else {
            let what = active.count > 1 ? "\(active.count) active keys (exactly one may sign)" : "no active private key to sign with"
            throw TokenError(.keyUnsuitable, "keyset '\(directory)' has \(what)")
        }
        return active[0].key
    }

    /// The keys that verify: every JWT key in the set (next, active and retiring).
    public var verificationKeys: [Key] { entries(of: .jwt).map(\.key) }

    /// The private file's bytes: `{"version": 1, "keys": [...]}`, pretty-printed, for the
    /// keyset writer to write and then wipe (internal: no public API hands out the private
    /// keys as bytes; ``write()`` writes them).
    ///
    /// The private members never pass through a Swift `String`: the JSON is printed with a
    /// random placeholder in their place, and each placeholder is replaced by the member's
    /// base64url text, encoded from its owned buffer (``Key/privateMembers()``) into the
    /// result, whose capacity is reserved beforehand so that no unwiped copy is left by
    /// growth. Records of unknown kinds (``otherRecords``) are written as they were read,
    /// from Swift strings that cannot be wiped.
    ///
    /// - Throws: ``TokenError/Code/keyUnsuitable`` for a public-only keyset;
    ///   ``TokenError/Code/backendFailure``.
    func privateFileBytes() throws -> [UInt8] {
        let nonce = try SecureRandom.bytes(count: 16).map { String($0, radix: 16) }.joined()
        let marker = "tokenctl-private-member-" + nonce + "-"
        var secrets: [SecretBytes] = []
        var records: [JSONValue] = []
        for entry in entries {
            var object = try entry.key.privateJWKSkeleton()
            for (name, secret) in try entry.key.privateMembers() {
                object[name] = .string(marker + String(secrets.count))
                secrets.append(secret)
            }
            object = entry.key.withMetadata(object, includeOperations: true)
            object["kind"] = .string(entry.kind.rawValue)
            object["state"] = .string(entry.state.rawValue)
            object["created"] = .number(JSONNumber(entry.created))
            if let activated = entry.activated { object["activated"] = .number(JSONNumber(activated)) }
            if let retired = entry.retired { object["retired"] = .number(JSONNumber(retired)) }
            records.append(.object(object))
        }
        records += otherRecords.map(JSONValue.object)
        let file = JSONObject([("version", .number(JSONNumber(Self.formatVersion))), ("keys", .array(records))])
        let template = Array((JSONValue.object(file).prettyPrinted() + "\n").utf8)  // no secret: placeholders
        return Self.splice(secrets, into: template, at: Array(marker.utf8))
    }

    /// `template` with each `marker` + index replaced by that secret's base64url text.
    private static func splice(_ secrets: [SecretBytes], into template: [UInt8], at marker: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(template.count + secrets.reduce(0) { $0 + $1.base64URLCount })
        var index = 0
        while index < template.count {
            if template[index] == marker[0], index + marker.count <= template.count,
                template[index..<index + marker.count].elementsEqual(marker)
            {
                var end = index + marker.count
                var number = 0
                while end < template.count, end - index - marker.count < 9,
                    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(template[end])
                {
                    number = number * 10 + Int(template[end] - UInt8(ascii: "0"))
                    end += 1
                }
                if number < secrets.count {
                    secrets[number].appendBase64URL(to: &out)
                    index = end
                    continue
                }
            }
            out.append(template[index])
            index += 1
        }
        return out
    }

    /// The public file's text for a list of entries: their public JWKs (HMAC secrets left out).
    public static func publicFileText(_ entries: [Entry]) -> String {
        let keys = entries.filter { $0.kind == .jwt }.compactMap { $0.key.publicJWK().map(JSONValue.object) }
        return JSONValue.object(JSONObject([("keys", .array(keys))])).prettyPrinted() + "\n"
    }

    /// Writes the keyset: `jwks.json` first (publish), then `keys.json` (what signs), each
    /// atomically, under the keyset's lock.
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable``, ``TokenError/Code/insecureKeyset``,
    ///   ``TokenError/Code/keysetLocked``.
    public func write() throws {
        let handle = try KeysetDirectory.openOrCreate(directory)
        try handle.checkPrivate()
        let lock = try handle.lock(timeout: KeysetRotation.defaultLockTimeout)
        defer { lock.release() }
        try KeysetStore(handle).publishThenCommit(self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
