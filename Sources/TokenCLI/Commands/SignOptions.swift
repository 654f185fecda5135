import TokenKit

/// The options that decide the signer and the header of a token, read the same way by
/// `sign` (which signs) and `inspect-size` (which predicts the bytes `sign` would write).
enum SignOptions {
    /// The signer `sign` would use: the key from the key options (the default keyset when
    /// none is given), `--alg`, and the kid (`--kid`, `--no-kid`, else the key's default).
    ///
    /// - Parameter createDefaultKeyset: whether a missing default keyset is created and the
    ///   key must be private (`sign`), or `nil` is returned instead and a public key does
    ///   (`inspect-size`, which only predicts).
    /// - Throws: `key_unsuitable` when the key cannot sign with `--alg`, as `sign` refuses.
    static func signer(
        _ arguments: ParsedArguments, _ console: Console, command: String, now: Int64, createDefaultKeyset: Bool
    ) throws -> TokenSigner? {
        var signer: TokenSigner
        if createDefaultKeyset {
            let key = try KeyOptions.signingKey(arguments, console, command: command, now: now)
            signer = try TokenSigner(key: key, algorithm: try algorithm(arguments), kid: arguments.value("kid"))
        } else {
            guard let key = try KeyOptions.existingSigningKey(arguments, console, command: command, now: now)
            else { return nil }
            // A prediction may use the public half of the key.
            signer = try TokenSigner(sizingWith: key, algorithm: try algorithm(arguments), kid: arguments.value("kid"))
        }
        if arguments.has("no-kid") { signer.kid = nil }
        try checkKeysetKid(signer, arguments)
        return signer
    }

    /// A keyset's verifiers find its keys by kid in its `jwks.json`, so a token signed with a
    /// keyset (`--keyset`, or the default keyset) carries its key's kid or none: another kid
    /// (`--kid`, `--header kid=...`) would make a token the keyset itself rejects.
    ///
    /// - Throws: `conflicting_options` for a kid other than the active key's.
    static func checkKeysetKid(_ signer: TokenSigner, _ arguments: ParsedArguments) throws {
        let usesKeyset = arguments.has("keyset") || !KeyOptions.sources.contains(where: arguments.has)
        guard usesKeyset, let keyKid = signer.key.kid else { return }
        let headerKid = arguments.values("header").contains { $0.hasPrefix("kid=") || $0.hasPrefix("kid:=") }
        if let kid = arguments.value("kid"), !kid.isByteEqual(to: keyKid) {
            throw UsageError(
                "conflicting_options",
                "'--kid' cannot name another kid than the keyset's active key (\(keyKid)): its verifiers would not find the key; "
                    + "leave --kid out (or use --no-kid)")
        }
        if headerKid {
            throw UsageError(
                "conflicting_options",
                "'--header kid=...' cannot be used with a keyset: its tokens carry the active key's kid (\(keyKid)), "
                    + "which its verifiers look up")
        }
    }

    /// `--alg`, when given.
    static func algorithm(_ arguments: ParsedArguments) throws -> Algorithm? {
        try arguments.value("alg").map { name in
            guard let algorithm = Algorithm(rawValue: name) else {
                throw TokenError.invalidValue("unknown algorithm '\(name)'")
            }
            return algorithm
        }
    }

    /// The header `signer` writes with `--typ`/`--no-typ` and the `--header` members.
    ///
    /// - Throws: `conflicting_options` when `--header` sets `alg`, or sets `typ` or `kid`
    ///   that `--typ`/`--no-typ` or `--kid`/`--no-kid` also decide.
    static func header(_ signer: TokenSigner, _ arguments: ParsedArguments) throws -> JSONObject {
        let type = arguments.has("no-typ") ? nil : arguments.value("typ") ?? "JWT"
        return try signer.header(type: type, extra: try extraHeader(arguments))
    }

    /// The `--header NAME=VALUE` / `NAME:=JSON` members, checked against the options that
    /// set the same member.
    static func extraHeader(_ arguments: ParsedArguments) throws -> JSONObject {
        var extra = JSONObject()
        for assignment in arguments.values("header") {
            let (name, value) = try ClaimSetBuilder.assignment(assignment)
            let owners = name == "typ" ? ["typ", "no-typ"] : name == "kid" ? ["kid", "no-kid"] : []
            if name == "alg" {
                throw UsageError(
                    "conflicting_options",
                    "'--header alg=...' cannot be used: alg is always the signing algorithm; choose it with --alg")
            }
            if let owner = owners.first(where: arguments.has) {
                throw UsageError.conflicting("--header \(name)=...", "--\(owner)")
            }
            extra[name] = value
        }
        return extra
    }
}
