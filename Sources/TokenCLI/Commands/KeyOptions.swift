import TokenKit

/// Turns the key options shared by `sign` and `verify` into keys: `--key`, `--secret-file`,
/// `--secret-env`, `--keyset`, or the default keyset when none is given.
enum KeyOptions {
    /// The options that name a key; at most one may be given.
    static let sources = ["key", "secret-file", "secret-env", "keyset"]

    /// The key that signs, creating the default keyset on first use.
    static func signingKey(_ arguments: ParsedArguments, _ console: Console, command: String, now: Int64) throws -> Key {
        switch try source(arguments, console, command: command) {
        case .keyFile(let path):
            var keys = try loadKeyFile(path, arguments, console)
            // --kid picks a key from a file of keys: by its kid, or a kid-less key by its RFC 7638
            // thumbprint; for a single key without a kid it only names it.
            if let kid = arguments.value("kid"), keys.count > 1 || keys.contains(where: { $0.kid != nil }) {
                keys = keys.filter { ($0.kid ?? $0.thumbprint()).isByteEqual(to: kid) }
            }
            guard keys.count == 1 else {
                throw TokenError(.keyUnsuitable, keys.isEmpty
                    ? "'\(path)' has no key with kid \"\(arguments.value("kid") ?? "")\""
                    : "'\(path)' holds \(keys.count) keys; name one with --kid (its kid, or the RFC 7638 thumbprint "
                        + "of a key without one), or use --keyset for a managed keyset")
            }
            return keys[0]
        case .secret(let bytes):
            return try Key(hmacSecret: bytes)
        case .keyset(let directory):
            return try Keyset.load(from: directory).signingKey()
        case .none:
            guard let directory = Keyset.defaultDirectory(environment: console.environment) else {
                throw TokenError(.keyUnsuitable, "no key given and no default keyset location (set HOME or TOKENCTL_KEYSET, or pass --key)")
            }
            if Keyset.exists(in: directory) { return try Keyset.load(from: directory).signingKey() }
            let keyset = try Keyset.create(in: directory, algorithm: .es256, now: now)
            console.warn(command, "created a new ES256 keyset in \(directory); publish \(directory)/\(Keyset.publicFileName) to verifiers")
            return try keyset.signingKey()
        }
    }

    /// The key `sign` would use, without creating the default keyset: `nil` when no key
    /// option is given and no default keyset exists (for predictions, such as inspect-size's).
    static func existingSigningKey(
        _ arguments: ParsedArguments, _ console: Console, command: String, now: Int64
    ) throws -> Key? {
        if !sources.contains(where: arguments.has) {
            guard let directory = Keyset.defaultDirectory(environment: console.environment), Keyset.exists(in: directory)
            else { return nil }
        }
        return try signingKey(arguments, console, command: command, now: now)
    }

    /// The keys that verify.
    static func verificationKeys(_ arguments: ParsedArguments, _ console: Console, command: String) throws -> [Key] {
        switch try source(arguments, console, command: command) {
        case .keyFile(let path):
            return try loadKeyFile(path, arguments, console)
        case .secret(let bytes):
            return [try Key(hmacSecret: bytes)]
        case .keyset(let directory):
            return try Keyset.load(from: directory).verificationKeys
        case .none:
            guard let directory = Keyset.defaultDirectory(environment: console.environment), Keyset.exists(in: directory)
            else {
                throw TokenError(.keyUnsuitable, "no key given: pass --key FILE, --secret-file FILE, --secret-env VAR or --keyset DIR")
            }
            return try Keyset.load(from: directory).verificationKeys
        }
    }

    private enum Source {
        case keyFile(String)
        case secret([UInt8])
        case keyset(String)
        case none
    }

    private static func source(_ arguments: ParsedArguments, _ console: Console, command: String) throws -> Source {
        let given = sources.filter(arguments.has)
        if given.count > 1 { throw UsageError.conflicting(given[0], given[1]) }
        if let path = arguments.value("key") { return .keyFile(path) }
        if let directory = arguments.value("keyset") { return .keyset(directory) }
        let encoding = try secretEncoding(arguments)
        if let path = arguments.value("secret-file") {
            var bytes = try SecretReference.fileContents(path, what: "secret file")
            defer { Secrets.wipe(&bytes) }  // the file buffer (the encoded text when an encoding is given)
            if encoding == .raw, bytes.last == 0x0A {
                // Kept: a newline may be part of the secret (design: exact bytes, and warn).
                console.warn(command, "secret file '\(path)' ends with a newline, which is used as part of the secret (write it with printf, or use --secret-encoding)")
            }
            return .secret(try encoding.decode(bytes))
        }
        if let name = arguments.value("secret-env") {
            return .secret(try encoding.decode(try environmentValue(name, console, what: "secret")))
        }
        return .none
    }

    private static func secretEncoding(_ arguments: ParsedArguments) throws -> SecretEncoding {
        guard let name = arguments.value("secret-encoding") else { return .raw }
        guard let encoding = SecretEncoding(rawValue: name) else {
            throw TokenError.invalidValue("unknown secret encoding '\(name)': use raw, base64, base64url or hex")
        }
        return encoding
    }

    private static func environmentValue(_ name: String, _ console: Console, what: String) throws -> [UInt8] {
        try SecretReference.environmentValue(name, in: console.environment, what: what)
    }

    private static func loadKeyFile(_ path: String, _ arguments: ParsedArguments, _ console: Console) throws -> [Key] {
        var bytes = try FileAccess.readRegularFile(path, what: "key file")
        defer { Secrets.wipe(&bytes) }  // a private key's PEM or JWK text
        var password: [UInt8]?
        if let passwordPath = arguments.value("password-file") {
            password = firstLine(try SecretReference.fileContents(passwordPath, what: "password file"))
        } else if let name = arguments.value("password-env") {
            password = try environmentValue(name, console, what: "key password")
        }
        defer { if password != nil { Secrets.wipe(&password!) } }
        do {
            return try KeySource.keys(from: bytes, password: password)
        } catch let error as TokenError {
            throw TokenError(error.code, "\(path): \(error.reason)", remedy: error.remedy)
        }
    }

    private static func firstLine(_ bytes: [UInt8]) -> [UInt8] {
        var line = Array(bytes.prefix(while: { $0 != 0x0A }))
        if line.last == 0x0D { line.removeLast() }
        return line
    }
}
