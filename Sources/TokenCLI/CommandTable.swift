/// The single source of truth for tokenctl's command line: every command and option.
/// The parser, `--help`, the man page and the shell completions are all built from it.
public struct CommandTable: Sendable {
    /// The program name (`tokenctl`).
    public var program: String
    /// One line on what the program does.
    public var abstract: String
    /// The version printed by `--version`.
    public var version: String
    /// The subcommands, in the order help and the man page list them.
    public var commands: [CommandSpec]
    /// Options every command accepts (`--color`, `-h/--help`), listed after its own.
    public var globalOptions: [OptionSpec]

    /// Creates a table.
    public init(program: String, abstract: String, version: String, commands: [CommandSpec], globalOptions: [OptionSpec]) {
        self.program = program
        self.abstract = abstract
        self.version = version
        self.commands = commands
        self.globalOptions = globalOptions
    }

    /// The command with this name, if any.
    public func command(named name: String) -> CommandSpec? {
        commands.first { $0.name == name }
    }

    /// Every option a command accepts: its own, then the global ones.
    public func options(of command: CommandSpec) -> [OptionSpec] {
        command.options + globalOptions
    }

    /// The usage line of a command: `tokenctl verify [options] [TOKEN...]`.
    public func usage(of command: CommandSpec) -> String {
        let arguments = command.arguments.isEmpty ? "" : " \(command.arguments)"
        return "\(program) \(command.name) [options]\(arguments)"
    }

    /// tokenctl's table.
    public static let tokenctl = CommandTable(
        program: "tokenctl",
        abstract: "Mint, inspect, verify and size-lint JWTs and API keys.",
        version: TokenCTL.version,
        commands: [.sign, .verify, .decode, .inspectSize],
        globalOptions: [
            OptionSpec(
                long: "color", value: "WHEN",
                help: "When to colour the output. auto colours a terminal, unless NO_COLOR is set. Default: auto.",
                choices: ["auto", "always", "never"]),
            OptionSpec(long: "help", short: "h", help: "Show help for the command and exit."),
        ])
}

extension CommandSpec {
    static let sign = CommandSpec(
        name: "sign",
        abstract: "Sign a claim set into a JWT, small and short-lived by default.",
        discussion: """
            Claims come from --claims (a JSON object, @FILE, or - for standard input), then from the claim \
            options, which replace members of the same name. The token expires 15 minutes after iat unless \
            --exp says otherwise, and iat is the current time.

            Without a key option, sign uses the default keyset ($TOKENCTL_KEYSET, else \
            $XDG_CONFIG_HOME/tokenctl/keyset, else ~/.config/tokenctl/keyset) and creates it, with an ES256 \
            key, on first use (saying so on standard error). The algorithm is the one that fits the key unless \
            --alg names another the key supports.

            The claim set is held to the size policy: a warning above 1 KiB encoded, a refusal above 4 KiB \
            (--max-bytes, --allow-large), and findings for deep nesting, long strings and arrays, many claims, \
            personal data, a missing exp or a lifetime over 24 hours.

            Prints the token and a newline; --json prints {token, header, payload, bytes}.
            """,
        examples: [
            "tokenctl sign --sub alice  # A 15-minute token from the default keyset",
            "tokenctl sign --sub backup-job --aud api --exp 5m --key ec.pem  # A 5-minute token for a job",
            "tokenctl sign --claims @claims.json -c role=admin --jti  # Claims from a file, a random jti",
            "tokenctl sign --secret-file hs.key --alg HS256 --sub bob --json  # HMAC, JSON output",
            "echo '{\"scope\":\"read\"}' | tokenctl sign --claims - --keyset ./keys  # Claims on stdin",
        ],
        options: [
            OptionSpec(
                long: "claims", value: "CLAIMS",
                help: "Start from this claim set: a JSON object, @FILE to read one from a file, or - to read "
                    + "it from standard input."),
            OptionSpec(long: "sub", value: "SUB", help: "Subject (sub claim): whom the token is about."),
            OptionSpec(long: "iss", value: "ISS", help: "Issuer (iss claim)."),
            OptionSpec(
                long: "aud", value: "AUD", repeatable: true,
                help: "Audience (aud claim); when repeated, aud is an array."),
            OptionSpec(
                long: "exp", value: "DURATION|INSTANT",
                help: "Expiry: a duration after iat (90s, 15m, 1h30m, 7d) or an instant (Unix seconds or "
                    + "RFC 3339). Default: 15m.",
                conflicts: ["no-exp"]),
            OptionSpec(
                long: "no-exp",
                help: "Leave out exp: the token never expires, which only waiting out a key rotation can "
                    + "undo (warns)."),
            OptionSpec(
                long: "nbf", value: "DURATION|INSTANT",
                help: "Not before (nbf claim): a duration after iat or an instant."),
            OptionSpec(long: "iat", value: "INSTANT", help: "Issued at (iat claim). Default: now."),
            OptionSpec(
                long: "jti", value: "ID", valueIsOptional: true,
                help: "Token id (jti claim); a random one when ID is left out. Write --jti=ID when ID "
                    + "starts with '-'."),
            OptionSpec(
                long: "claim", short: "c", value: "NAME=VALUE", repeatable: true,
                help: "Set a claim. VALUE is read as JSON when it parses (42, true, [\"a\"], {\"k\":1}), else "
                    + "as a string."),
            OptionSpec(
                long: "header", value: "NAME=VALUE", repeatable: true,
                help: "Set a protected header member; VALUE is read as for --claim. alg is always the "
                    + "signing algorithm."),
            OptionSpec(
                long: "kid", value: "KID",
                help: "Key id (kid header). Default: the key's own kid, else the RFC 7638 thumbprint of the "
                    + "public key; a raw HMAC secret gets none."),
            OptionSpec(long: "typ", value: "TYP", help: "Type (typ header), such as JWT or at+jwt."),
            OptionSpec(
                long: "alg", value: "ALG",
                help: "Signature algorithm. Default: the one that fits the key.",
                choices: Self.signingAlgorithms),
            .keyOption(help: "Signing key: a PEM private key (PKCS#8, PKCS#1 RSA, SEC1 EC), a JWK, or a JWKS "
                + "(its key named by --kid, or its only key)."),
            .keysetOption(help: "Sign with the active key of the keyset in DIR (see rotate-keys)."),
        ] + Self.secretOptions + [
            OptionSpec(
                long: "max-bytes", value: "N",
                help: "Refuse to sign when the token would exceed N bytes. Default: 4096.",
                conflicts: ["allow-large"]),
            OptionSpec(long: "allow-large", help: "Sign however large the token is (still warns above 1 KiB)."),
            .nowOption,
            OptionSpec(long: "json", help: "Print {token, header, payload, bytes} as one JSON object."),
        ],
        run: SignCommand.run)

    static let verify = CommandSpec(
        name: "verify",
        abstract: "Verify JWTs: the signature with a trusted key, then the claims.",
        discussion: """
            Checks the signature over the received bytes, then the claims: exp and nbf (with --leeway), iat \
            not in the future, and each of --iss, --aud, --sub, --typ, --require and --max-age given. A token \
            without exp is rejected unless --allow-no-exp. A token with an aud claim is rejected \
            (audience_mismatch) unless --aud names one of its audiences or --ignore-aud is given. Claims and \
            header values are compared as exact UTF-8 bytes, never by Unicode equivalence. Unknown crit \
            extensions and b64: false are rejected, and the jwk, jku, x5u and x5c headers are never used to \
            find a key.

            Only algorithms that fit the key are accepted (RSA: RS* and PS*; EC: the curve's ES algorithm; \
            OKP: EdDSA; secrets: HS*), narrowed further by --alg. alg none is never accepted. Without a key \
            option, the default keyset is used.

            Tokens come as arguments, or on standard input (- or, when standard input is not a terminal, no \
            argument at all), one a line. A line may be a bare token, "Bearer <token>", an Authorization, \
            Cookie or Set-Cookie header, or quoted; the token is extracted. With several tokens (batch mode) \
            results are streamed one a line, in order: "valid" or "invalid <code>: <message>".

            For a single token, success prints its payload (nothing with --quiet); --json prints {valid, \
            alg, kid, header, payload} or {valid: false, error: {code, message}}, one object a line in batch \
            mode. Exit status 1 when a token is rejected.
            """,
        arguments: "[TOKEN...]",
        argumentHelp: "Tokens to verify. With none, tokens are read from standard input, one a line.",
        examples: [
            "tokenctl verify --key pub.pem \"$TOKEN\"  # Print the payload of a valid token",
            "tokenctl verify -q --aud api --iss https://auth.example.com < t.jwt  # Exit status only",
            "pbpaste | tokenctl verify --keyset /etc/app/keys --json  # The keys of a keyset",
            "tokenctl verify --secret-env JWT_SECRET --alg HS256 --leeway 30s -  # HMAC, 30s clock skew",
            "tokenctl verify --key jwks.json --require scope < tokens.txt  # One result a line",
        ],
        options: [
            .keyOption(help: "Verification key: PEM (SPKI public key, X.509 certificate or private key), a JWK, "
                + "or a JWKS (the token's kid picks the key)."),
        ] + Self.secretOptions + [
            .keysetOption(help: "Verify with the keys of the keyset in DIR (next, active and retiring)."),
            OptionSpec(
                long: "alg", value: "ALG", repeatable: true,
                help: "Accept only the algorithms given. Ed25519 and Ed448 are the fully specified names of "
                    + "RFC 9864.",
                choices: Self.signingAlgorithms + ["Ed25519", "Ed448"]),
            OptionSpec(long: "iss", value: "ISS", help: "Require the issuer (iss claim) to be ISS."),
            OptionSpec(
                long: "aud", value: "AUD", repeatable: true,
                help: "Require the aud claim to contain AUD; when repeated, any one of them. A token that has "
                    + "an aud is rejected when no --aud is given (RFC 7519 §4.1.3).",
                conflicts: ["ignore-aud"]),
            OptionSpec(
                long: "ignore-aud",
                help: "Skip the audience check: accept a token whatever its aud claim says."),
            OptionSpec(long: "sub", value: "SUB", help: "Require the subject (sub claim) to be SUB."),
            OptionSpec(long: "typ", value: "TYP", help: "Require the typ header to be TYP."),
            OptionSpec(
                long: "leeway", value: "DURATION",
                help: "Clock skew tolerated when checking exp, nbf and iat. Default: 0."),
            OptionSpec(
                long: "require", value: "CLAIM", repeatable: true, help: "Reject tokens without the claim CLAIM."),
            OptionSpec(
                long: "max-age", value: "DURATION", help: "Reject tokens issued (iat) more than DURATION ago."),
            OptionSpec(
                long: "revoked", value: "FILE",
                help: "Reject tokens whose jti is listed in FILE, one jti a line.",
                completion: .file(extensions: [])),
            .nowOption,
            OptionSpec(long: "allow-no-exp", help: "Accept tokens that have no exp claim."),
            OptionSpec(
                long: "quiet", short: "q", help: "Print nothing: only the exit status tells the result.",
                conflicts: ["json"]),
            OptionSpec(
                long: "json", help: "Print the result as one JSON object (one a line in batch mode)."),
            .maxTokenBytesOption,
        ],
        run: VerifyCommand.run)

    static let decode = CommandSpec(
        name: "decode",
        abstract: "Show a JWT's header and claims WITHOUT verifying its signature.",
        discussion: """
            Prints the header and the payload with members in the token's own order; iat, nbf and exp as \
            RFC 3339 with the time relative to now ("expires in 14m", "expired 3d ago"); the signature \
            length; and warnings (alg none, no exp, long lifetime, size, sensitive claims). API keys are \
            decoded too: prefix, kind, and whether the checksum is valid.

            The signature is NOT verified: use verify before trusting anything a token says.

            Tokens come as arguments, or on standard input (- or, when standard input is not a terminal, no \
            argument at all), one a line, as for verify; several tokens are decoded one after another, in \
            order. Malformed input exits with status 1.
            """,
        arguments: "[TOKEN...]",
        argumentHelp: "Tokens or API keys to decode. With none, they are read from standard input, one a line.",
        examples: [
            "pbpaste | tokenctl decode  # A token, header or cookie from the clipboard",
            "tokenctl decode \"Authorization: Bearer $TOKEN\"  # The token is extracted",
            "tokenctl decode --json \"$TOKEN\" | jq .payload  # Just the claims",
            "tokenctl decode --now 2030-01-01T00:00:00Z - < t.jwt  # As seen in 2030",
        ],
        options: [
            OptionSpec(
                long: "json",
                help: "Print {header, payload, size, warnings} as one JSON object (one a line for several "
                    + "tokens)."),
            .nowOption,
            .maxTokenBytesOption,
        ],
        run: DecodeCommand.run)

    static let inspectSize = CommandSpec(
        name: "inspect-size",
        abstract: "Measure tokens or claim sets against a size budget, claim by claim.",
        discussion: """
            For each token, or each claim set given with --claims (sized as if signed with --alg or --key; \
            default ES256), prints the total bytes and the header, payload and signature split; each claim's \
            encoded cost, largest first; the share of the budget; and the size policy's findings, each with \
            a fix.

            The budget is a byte count (4096, 4k) or the name of a known limit, such as cookie (4096 bytes) \
            or nginx (its default 8k header buffer). --context adds the bytes around the token: the \
            "Authorization: Bearer " header, or the cookie's name and attributes.

            Exit status 1 when a token is over budget or a finding at the --fail-on level stands, so a CI \
            step fails on bloat; --format github prints workflow annotations.
            """,
        arguments: "[TOKEN|FILE...]",
        argumentHelp: "Tokens, or files holding a token or a claim set (JSON). With none, tokens are read "
            + "from standard input, one a line.",
        examples: [
            "tokenctl inspect-size \"$TOKEN\"  # Where the bytes go, claim by claim",
            "tokenctl inspect-size --budget cookie --format github claims/*.json  # In CI",
            "tokenctl inspect-size --claims claims.json --alg RS256 --budget 1k  # Before signing",
            "tokenctl inspect-size --context cookie --cookie-name session - < t.jwt  # As a cookie",
        ],
        options: [
            OptionSpec(
                long: "claims", value: "FILE", repeatable: true,
                help: "A claim set (a JSON object) to size as if signed.",
                completion: .file(extensions: ["json"])),
            OptionSpec(
                long: "alg", value: "ALG", help: "Algorithm claim sets are sized for. Default: ES256.",
                choices: Self.signingAlgorithms),
            .keyOption(help: "Size claim sets as signed by this key: its algorithm, kid and signature length.",
                conflicts: []),
            OptionSpec(
                long: "budget", value: "BYTES|NAME",
                help: "The size budget: bytes (4096, 4k) or a known limit such as cookie or nginx. Default: 4k."),
            OptionSpec(
                long: "context", value: "CONTEXT",
                help: "Also count the bytes around the token: the Authorization header or the cookie.",
                choices: ["authorization", "cookie"]),
            OptionSpec(long: "cookie-name", value: "NAME", help: "The cookie name counted by --context cookie."),
            OptionSpec(
                long: "format", value: "FORMAT",
                help: "Output format: human text, one JSON object, or GitHub workflow annotations. Default: text.",
                choices: ["text", "json", "github"]),
            OptionSpec(
                long: "fail-on", value: "LEVEL",
                help: "Exit 1 when a finding of this level or worse stands. Default: error.",
                choices: ["error", "warning"]),
            .maxTokenBytesOption,
            .nowOption,
        ],
        run: InspectSizeCommand.run)

    /// The algorithms tokenctl signs with, in documentation order.
    static let signingAlgorithms = [
        "HS256", "HS384", "HS512", "RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
        "ES256", "ES384", "ES512", "ES256K", "EdDSA",
    ]

    /// HMAC secret and key password options, shared by sign and verify.
    static let secretOptions: [OptionSpec] = [
        OptionSpec(
            long: "secret-file", value: "FILE",
            help: "HMAC secret: the bytes of FILE, decoded as --secret-encoding says.",
            completion: .file(extensions: []), conflicts: ["secret-env", "key", "keyset"]),
        OptionSpec(
            long: "secret-env", value: "VAR",
            help: "HMAC secret: the value of the environment variable VAR.",
            completion: .environment, conflicts: ["key", "keyset"]),
        OptionSpec(
            long: "secret-encoding", value: "ENC",
            help: "How the secret is encoded. Default: raw (the exact bytes).",
            choices: ["raw", "base64", "base64url", "hex"]),
        OptionSpec(
            long: "password-file", value: "FILE",
            help: "Password of an encrypted PEM key (PKCS#8), read from FILE.",
            completion: .file(extensions: []), conflicts: ["password-env"]),
        OptionSpec(
            long: "password-env", value: "VAR",
            help: "Password of an encrypted PEM key, from the environment variable VAR.",
            completion: .environment),
    ]
}

extension OptionSpec {
    /// `-k/--key FILE`, with the command's own help.
    static func keyOption(help: String, conflicts: [String] = ["keyset"]) -> OptionSpec {
        OptionSpec(
            long: "key", short: "k", value: "FILE", help: help,
            completion: .file(extensions: ["pem", "key", "crt", "json", "jwk", "jwks"]), conflicts: conflicts)
    }

    /// `--keyset DIR`, with the command's own help.
    static func keysetOption(help: String) -> OptionSpec {
        OptionSpec(long: "keyset", value: "DIR", help: help, completion: .directory)
    }

    /// `--now INSTANT`.
    static let nowOption = OptionSpec(
        long: "now", value: "INSTANT",
        help: "Take INSTANT (Unix seconds or RFC 3339) as the current time, for reproducible scripts and tests.")

    /// `--max-token-bytes N`.
    static let maxTokenBytesOption = OptionSpec(
        long: "max-token-bytes", value: "N",
        help: "Treat a token over N bytes as malformed. Default: 262144 (256 KiB).")
}
