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
            // --kid picks a key from a file of keys (KeySource.signingKey(among:kid:source:)).
            return try KeySource.signingKey(among: try loadKeyFile(path, arguments, console), kid: arguments.value("kid"), source: path)
        case .secret(let key):
            return key
        case .keyset(let directory):
            return try Keyset.load(from: directory).signingKey()
        case .none:
            let (keyset, created) = try Keyset.loadOrCreateDefault(environment: console.environment, now: now)
            if created {
                let directory = keyset.directory
                console.warn(command, "created a new \(Keyset.defaultAlgorithm) keyset in \(directory); publish \(directory)/\(Keyset.publicFileName) to verifiers")
            }
            return try keyset.signingKey()
        }
    }

    /// The key `sign` would use, without creating the default keyset: `nil` when no key
    /// option is given and no default keyset exists (for predictions, such as inspect-size's).
    static func existingSigningKey(
        _ arguments: ParsedArguments, _ console: Console, command: String, now: Int64
    ) throws -> Key? {
        if !sources.contains(where: arguments.has) {
            return try Keyset.existingDefault(environment: console.environment)?.signingKey()
        }
        return try signingKey(arguments, console, command: command, now: now)
    }

    /// The keys that verify.
    static func verificationKeys(_ arguments: ParsedArguments, _ console: Console, command: String) throws -> [Key] {
        switch try source(arguments, console, command: command) {
        case .keyFile(let path):
            return try loadKeyFile(path, arguments, console)
        case .secret(let key):
            return [key]
        case .keyset(let directory):
            return try Keyset.load(from: directory).verificationKeys
        case .none:
            guard let keyset = try Keyset.existingDefault(environment: console.environment) else {
                let place = Keyset.defaultDirectory(environment: console.environment).map { " in \($0)" } ?? ""
                throw TokenError(.keyUnsuitable, "no key given and no default keyset\(place): pass --key FILE, --jwks URL|FILE, "
                    + "--issuer-url URL, --secret-file FILE, --secret-env VAR or --keyset DIR")
            }
            return keyset.verificationKeys
        }
    }

    private enum Source {
        case keyFile(String)
        /// An HMAC key, made where the secret's file, variable and decoded bytes are wiped.
        case secret(Key)
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
            return .secret(try Key(hmacSecretText: bytes, encoding: encoding))
        }
        if let name = arguments.value("secret-env") {
            // The UTF-8 copy of the value is wiped; the environment's own string cannot be.
            var value = try environmentValue(name, console, what: "secret")
            defer { Secrets.wipe(&value) }
            return .secret(try Key(hmacSecretText: value, encoding: encoding))
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
        defer { Secrets.wipe(&password) }
        if let passwordPath = arguments.value("password-file") {
            var file = try SecretReference.fileContents(passwordPath, what: "password file")
            defer { Secrets.wipe(&file) }
            password = firstLine(file)
        } else if let name = arguments.value("password-env") {
            password = try environmentValue(name, console, what: "key password")
        }
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
