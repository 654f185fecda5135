import TokenKit

/// The single source of truth for tokenctl's command line: every command and option.
/// The parser, `--help`, the man page and the shell completions are all built from it.
public struct CommandTable: Sendable {
    /// The program name (`tokenctl`).
    public var program: String
    /// One line on what the program does.
    public var abstract: String
    /// The version printed by `--version`.
    public var version: String
    /// Options every command accepts (`--color`, `-h/--help`), listed after its own.
    public var globalOptions: [OptionSpec]
    /// The subcommands by name, in order, each spec built when asked for: a run needs one
    /// command's spec, and building all five was ~0.18M instructions of every process.
    private var entries: [Entry]

    private struct Entry: Sendable {
        let name: String
        let spec: @Sendable () -> CommandSpec
    }

    /// Creates a table.
    public init(program: String, abstract: String, version: String, commands: [CommandSpec], globalOptions: [OptionSpec]) {
        self.init(
            program: program, abstract: abstract, version: version,
            lazyCommands: commands.map { spec in (spec.name, { spec }) }, globalOptions: globalOptions)
    }

    /// Creates a table whose command specs are built on first use: `name` must be the name
    /// of the spec that `spec` returns.
    init(
        program: String, abstract: String, version: String,
        lazyCommands: [(name: String, spec: @Sendable () -> CommandSpec)], globalOptions: [OptionSpec]
    ) {
        self.program = program
        self.abstract = abstract
        self.version = version
        self.entries = lazyCommands.map { Entry(name: $0.name, spec: $0.spec) }
        self.globalOptions = globalOptions
    }

    /// The subcommands, in the order help and the man page list them.
    public var commands: [CommandSpec] { entries.map { $0.spec() } }

    /// The subcommands' names, in order.
    public var commandNames: [String] { entries.map(\.name) }

    /// The command with this name, if any (only its spec is built).
    public func command(named name: String) -> CommandSpec? {
        entries.first { $0.name == name }?.spec()
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
        lazyCommands: [
            ("sign", { .sign }), ("verify", { .verify }), ("decode", { .decode }), ("inspect-size", { .inspectSize }),
            ("rotate-keys", { .rotateKeys }),
        ],
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
            options, which replace members of the same name. -c NAME=VALUE sets a string, always; \
            -c NAME:=JSON sets a JSON value (a number, boolean, array or object), as in HTTPie. The token \
            expires 15 minutes after iat unless --exp says otherwise, and iat is the current time. \
            Durations in --exp and --nbf are counted from iat (15m, +1h); a bare number is an instant (Unix \
            seconds), so --exp 3600 is in 1970: write --exp 1h.

            Registered claims must have their RFC 7519 types (iss, sub, jti strings; aud a string or an array \
            of strings; exp, nbf, iat numbers), and a token that would already be expired, or never be valid \
            (exp not after iat, nbf not before exp), is refused (exit 2, invalid_claim) unless \
            --allow-invalid-times asks for it on purpose, for test fixtures.

            Without a key option, sign uses the default keyset ($TOKENCTL_KEYSET, else \
            $XDG_CONFIG_HOME/tokenctl/keyset, else ~/.config/tokenctl/keyset) and creates it, with an ES256 \
            key, on first use (saying so on standard error). The algorithm is the one that fits the key unless \
            --alg names another the key supports.

            The claim set is held to the size policy: a warning above 1 KiB encoded, a refusal above 4 KiB \
            (--max-bytes, --allow-large), and findings for deep nesting, long strings and arrays, many claims, \
            personal data, a missing exp or a lifetime over 24 hours. A project tunes the policy in \
            .tokenctl.json (found in the working directory or a parent) or --policy FILE; a rule it makes an \
            error refuses the token.

            Prints the token and a newline; --json prints {token, header, payload, bytes}.

            With --api-key, sign mints API keys instead of a JWT: <prefix>_<body>, only A-Z, a-z, 0-9 and _, \
            the body being at least 128 random bits from OpenSSL in base62 and a 6-character CRC-32 \
            checksum. --prefix sets the prefix (default tk; lowercase letters and digits, optionally in \
            _-joined parts such as acme_live, at most 32 characters), --count how many keys are printed, one \
            a line; --json prints {key, kind, prefix, sha256} a line, sha256 being what a service stores.

            Without --keyset or --bound a key is opaque (a service stores its SHA-256). With --keyset DIR, or \
            --bound for the default keyset, keys are keyset-bound: they carry the id of the keyset's active \
            API-key secret and an HMAC under it, so verify --keyset checks them with no lookup. A keyset \
            without API-key secrets gets an active and a next one on the first bound key (said on standard \
            error), written like a rotation: atomically, under the keyset's lock, in keys.json only, never \
            in jwks.json. rotate-keys rotates them with the signing keys.
            """,
        examples: [
            "tokenctl sign --sub alice  # A 15-minute token from the default keyset",
            "tokenctl sign --sub backup-job --aud api --exp 5m --key ec.pem  # A 5-minute token for a job",
            "tokenctl sign --claims @claims.json -c role=admin --jti  # Claims from a file, a random jti",
            "tokenctl sign --sub alice -c 'groups:=[\"a\",\"b\"]' -c level:=3  # JSON claim values",
            "tokenctl sign --secret-file hs.key --alg HS256 --sub bob --json  # HMAC, JSON output",
            "echo '{\"scope\":\"read\"}' | tokenctl sign --claims - --keyset ./keys  # Claims on stdin",
            "tokenctl sign --api-key --prefix acme_live --json  # An API key and the SHA-256 to store",
            "tokenctl sign --api-key --prefix acme_live --keyset /etc/app/keys  # A keyset-bound API key",
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
                help: "Expiry: a duration counted from iat (90s, 15m, +1h, 1h30m, 7d) or an instant (Unix "
                    + "seconds or RFC 3339; a bare number is an instant). Default: 15m.",
                conflicts: ["no-exp"]),
            OptionSpec(
                long: "no-exp",
                help: "Leave out exp: the token never expires, which only waiting out a key rotation can "
                    + "undo (warns)."),
            OptionSpec(
                long: "nbf", value: "DURATION|INSTANT",
                help: "Not before (nbf claim): a duration counted from iat or an instant."),
            OptionSpec(long: "iat", value: "INSTANT", help: "Issued at (iat claim). Default: now."),
            OptionSpec(
                long: "jti", value: "ID", valueIsOptional: true,
                help: "Token id (jti claim); a random one when ID is left out. Write --jti=ID when ID "
                    + "starts with '-'."),
            OptionSpec(
                long: "claim", short: "c", value: "NAME=VALUE", repeatable: true,
                help: "Set a claim: NAME=VALUE sets the string VALUE, always; NAME:=JSON sets a JSON value "
                    + "(n:=42, ok:=true, groups:='[\"a\"]'), an error when it does not parse."),
            OptionSpec(
                long: "header", value: "NAME=VALUE", repeatable: true,
                help: "Set a protected header member: NAME=VALUE (a string) or NAME:=JSON, as for --claim. "
                    + "alg is always the signing algorithm; typ and kid conflict with --typ and --kid."),
            OptionSpec(
                long: "kid", value: "KID",
                help: "Key id (kid header). Default: the key's own kid, else the RFC 7638 thumbprint of the "
                    + "public key; a raw HMAC secret gets none. Also picks the key of a JWKS, by kid or, for "
                    + "a key without one, by thumbprint. With a keyset, only its active key's kid is allowed.",
                conflicts: ["no-kid"]),
            OptionSpec(long: "no-kid", help: "Write no kid header."),
            OptionSpec(
                long: "typ", value: "TYP", help: "Type (typ header), such as JWT or at+jwt. Default: JWT.",
                conflicts: ["no-typ"]),
            OptionSpec(long: "no-typ", help: "Write no typ header."),
            OptionSpec(
                long: "alg", value: "ALG",
                help: "Signature algorithm. Default: the one that fits the key.",
                choices: Self.signingAlgorithms),
            .keyOption(help: "Signing key: a PEM private key (PKCS#8, PKCS#1 RSA, SEC1 EC), a JWK, or a JWKS "
                + "(its key named by --kid, or its only key)."),
            .keysetOption(help: "Sign with the active key of the keyset in DIR (see rotate-keys); with --api-key, "
                + "mint keyset-bound keys with its active API-key secret."),
        ] + Self.secretOptions + [
            OptionSpec(
                long: "max-bytes", value: "N",
                help: "Refuse to sign when the token would exceed N bytes. Default: 4096.",
                conflicts: ["allow-large"]),
            OptionSpec(long: "allow-large", help: "Sign however large the token is (still warns above 1 KiB)."),
            .policyOption,
            OptionSpec(
                long: "allow-invalid-times",
                help: "Sign a token that is already expired or never valid (exp not after iat and now, nbf "
                    + "not before exp), for test fixtures."),
            .nowOption,
            OptionSpec(long: "json", help: "Print {token, header, payload, bytes} as one JSON object."),
            OptionSpec(
                long: "api-key",
                help: "Mint an API key instead of a JWT: opaque, or keyset-bound with --keyset DIR or --bound.",
                conflicts: Self.jwtOnlySignOptions),
            OptionSpec(
                long: "bound",
                help: "With --api-key, mint keyset-bound keys with the default keyset (--keyset DIR names "
                    + "another); its first API-key secret is created when it has none.",
                conflicts: ["keyset"]),
            OptionSpec(
                long: "prefix", value: "PREFIX",
                help: "The API key prefix: lowercase letters and digits, optionally in _-joined parts "
                    + "(acme_live), at most 32 characters. Default: tk."),
            OptionSpec(long: "count", value: "N", help: "Mint N API keys, one a line. Default: 1."),
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

            API keys are verified too, told from JWTs by their shape: the checksum first (a typo or a \
            truncated key is rejected with checksum_invalid), then, for a keyset-bound key, its HMAC under \
            the keyset's API-key secret that its id names (--keyset DIR, or the default keyset when no key \
            option is given; next, active and retiring secrets verify, a removed one gives key_not_found, a \
            forged key signature_invalid), then membership of the key's SHA-256 in --api-key-hashes FILE. \
            With nothing to check a well-formed key against, verify exits 2 rather than call it valid. Keys \
            and JWTs may be mixed on standard input.

            Only algorithms that fit the key are accepted (RSA: RS* and PS*; EC: the curve's ES algorithm; \
            OKP: EdDSA; secrets: HS*), narrowed further by --alg. alg none is never accepted. Without a key \
            option, the default keyset is used.

            Tokens come as arguments, or on standard input (- or, when standard input is not a terminal, no \
            argument at all), one a line. A line may be a bare token, "Bearer <token>", an Authorization, \
            Cookie or Set-Cookie header, or quoted; the token is extracted. With several tokens (batch mode) \
            results are streamed in order, exactly one line per input line: "valid" or "invalid <code>: \
            <message>"; a line without a token is "invalid malformed: ...". -n prefixes each with its line \
            number; --quiet prints nothing, in batch mode too. --jobs N works a batch on N threads (0: one per \
            processor) with the same output, byte for byte and in order, as one.

            With --scan, the arguments are files (or - for standard input) of free text: curl -v output, a \
            HAR file, an OAuth token response, logs. Every JWT in them is verified once, on a line with \
            FILE:LINE, what held it and its fingerprint (the full token with --show-tokens), then "valid" or \
            "invalid <code>: <message>"; a candidate that is not a JWT is invalid. Exit status 2 when none is \
            found. With --json, one object a line: {fingerprint, count, places, valid, alg, kid, payload} or \
            {fingerprint, count, places, valid: false, error: {code, message}}.

            For a single token, success prints its payload (nothing with --quiet); --json prints {valid, \
            alg, kid, header, payload, line} or {valid: false, error: {code, message}, line}, one object a \
            line in batch mode, where line is the input line (or the argument's position). Text from a token \
            is escaped before it is printed. Exit status 1 when a token is rejected.

            --jwks and --issuer-url fetch the keys over HTTPS (libssl; TLS 1.2 or later, the certificate \
            checked against the system CA store or --cacert and against the host name). Plain http:// is \
            allowed only to loopback. A fetch is given --timeout (default 5s) to connect and to finish, at \
            most 1 MiB, and at most 3 redirects, never from https to http. HTTPS_PROXY (or https_proxy) is \
            used through a CONNECT tunnel, except for loopback and hosts in NO_PROXY. --issuer-url (or a \
            --jwks URL with path / or /.well-known/openid-configuration) reads the issuer's OpenID \
            configuration, takes its jwks_uri, and requires iss to be the issuer unless --iss is given. \
            With --jwks-cache DIR a fetched set is reused while fresh (Cache-Control max-age, else 5 \
            minutes); a token whose kid is not in the set triggers one refresh, at most once per run and \
            not within 30s of the last fetch; when a fetch fails, a set cached less than a day ago is used \
            and a warning says so. Several tokens cost one fetch. A fetch that fails exits with status 2 \
            (fetch_failed), naming the URL and the cause.
            """,
        arguments: "[TOKEN...]",
        argumentHelp: "Tokens to verify. With none, tokens are read from standard input, one a line.",
        examples: [
            "tokenctl verify --key pub.pem \"$TOKEN\"  # Print the payload of a valid token",
            "tokenctl verify -q --aud api --iss https://auth.example.com < t.jwt  # Exit status only",
            "pbpaste | tokenctl verify --keyset /etc/app/keys --json  # The keys of a keyset",
            "tokenctl verify --secret-env JWT_SECRET --alg HS256 --leeway 30s -  # HMAC, 30s clock skew",
            "tokenctl verify --key jwks.json --require scope < tokens.txt  # One result a line",
            "tokenctl verify -j 0 --key pub.pem --aud api < tokens.txt > results.txt  # On every processor",
            "tokenctl verify --api-key-hashes issued.sha256 \"$API_KEY\"  # An API key by its stored hash",
            "tokenctl verify --scan --key jwks.json session.har  # Every token of a browser session",
            "tokenctl verify --issuer-url https://auth.example.com --aud api \"$TOKEN\"  # The issuer's JWKS",
        ],
        options: [
            .keyOption(help: "Verification key: PEM (SPKI public key, X.509 certificate or private key), a JWK, "
                + "or a JWKS (the token's kid picks the key)."),
        ] + Self.secretOptions + [
            .keysetOption(help: "Verify with the keys of the keyset in DIR (next, active and retiring), and "
                + "keyset-bound API keys with its API-key secrets."),
            OptionSpec(
                long: "jwks", value: "URL|FILE",
                help: "Verify with the keys of a JWKS: an https:// URL (fetched; plain http:// only to loopback), "
                    + "an issuer URL (path / or /.well-known/openid-configuration: see --issuer-url), or a file.",
                completion: .file(extensions: ["json", "jwks"]),
                conflicts: ["key", "keyset", "secret-file", "secret-env", "issuer-url"]),
            OptionSpec(
                long: "issuer-url", value: "URL",
                help: "Verify with the keys of an OpenID issuer: the jwks_uri of URL/.well-known/openid-configuration. "
                    + "The iss claim must be the issuer unless --iss says otherwise.",
                conflicts: ["key", "keyset", "secret-file", "secret-env"]),
            OptionSpec(
                long: "cacert", value: "FILE",
                help: "When fetching, trust the CA certificates in FILE (PEM) instead of the system store.",
                completion: .file(extensions: ["pem", "crt"])),
            OptionSpec(
                long: "timeout", value: "DURATION",
                help: "Time limit for connecting, and for each whole fetch with its redirects. Default: 5s."),
            OptionSpec(
                long: "jwks-cache", value: "DIR",
                help: "Keep fetched key sets in DIR and use them while fresh (Cache-Control max-age, else 5 minutes).",
                completion: .directory),
            OptionSpec(
                long: "alg", value: "ALG", repeatable: true,
                help: "Accept only the algorithms given. Ed25519 and Ed448 are the fully specified names of "
                    + "RFC 9864.",
                choices: Algorithm.all.map(\.rawValue)),
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
            OptionSpec(
                long: "api-key-hashes", value: "FILE",
                help: "Accept only API keys whose SHA-256 is listed in FILE, one lowercase hex hash a line "
                    + "(# comments allowed).",
                completion: .file(extensions: [])),
            .nowOption,
            OptionSpec(long: "allow-no-exp", help: "Accept tokens that have no exp claim."),
            OptionSpec(
                long: "quiet", short: "q", help: "Print nothing: only the exit status tells the result.",
                conflicts: ["json"]),
            OptionSpec(
                long: "json", help: "Print the result as one JSON object (one a line in batch mode)."),
            OptionSpec(
                long: "line-number", short: "n",
                help: "Prefix each text result with its input line number (or the argument's position) and a "
                    + "colon, as grep -n does."),
            .maxTokenBytesOption,
            .jobsOption,
            .scanOption(),
            .showTokensOption,
        ],
        run: VerifyCommand.run)

    static let decode = CommandSpec(
        name: "decode",
        abstract: "Show a JWT's header and claims WITHOUT verifying its signature.",
        discussion: """
            Prints the header and the payload with members in the token's own order; iat, nbf and exp as \
            RFC 3339 with the time relative to now ("expires in 14m", "expired 3d ago"); the signature \
            length; and warnings (alg none, no exp, long lifetime, size, sensitive claims). API keys are \
            decoded too: prefix, kind, whether the checksum is valid (exit status 1 when not), the secret id \
            of a keyset-bound key, and the SHA-256 to store; --json gives {api_key: true, prefix, kind, \
            checksum_valid, secret_id, bytes, sha256}.

            The signature is NOT verified: use verify before trusting anything a token says.

            Tokens come as arguments, or on standard input (- or, when standard input is not a terminal, no \
            argument at all), one a line, as for verify; several tokens are decoded one after another, in \
            order (with --jobs N, on N threads, the same output), and each --json result carries its line. \
            Malformed input exits with status 1, and so does \
            a token whose payload is not a JWT claim set (a JSON array, not JSON, a duplicate member name), \
            after what can be shown of it. Text from the token is escaped, never printed raw.

            With --scan, the arguments are files (or - for standard input) of free text, and every JWT in \
            them is found: in curl -v request and response headers (Authorization: Bearer, DPoP or JWT; each \
            cookie of Cookie and Set-Cookie, by name), OAuth token responses and any JSON string member, URL \
            query and fragment parameters, token= fields of logs, and HAR files (every entry's headers, \
            cookies, query string and bodies). Each distinct token is decoded once, headed by FILE:LINE, what \
            held it, how often it was found and its fingerprint (its first 12 characters and a hash of the \
            rest; the whole token with --show-tokens). Something shaped like a JWT that is not one is \
            reported with its place (exit status 1). Exit status 2 when nothing is found. With --json, one \
            object a line: {fingerprint, count, places: [{file, line, carrier, name, ...}], jwt, header, \
            payload, ...}, and token with --show-tokens.
            """,
        arguments: "[TOKEN...]",
        argumentHelp: "Tokens or API keys to decode. With none, they are read from standard input, one a line.",
        examples: [
            "pbpaste | tokenctl decode  # A token, header or cookie from the clipboard",
            "tokenctl decode \"Authorization: Bearer $TOKEN\"  # The token is extracted",
            "tokenctl decode --json \"$TOKEN\" | jq .payload  # Just the claims",
            "tokenctl decode --now 2030-01-01T00:00:00Z - < t.jwt  # As seen in 2030",
            "tokenctl decode --json \"$API_KEY\"  # An API key's prefix, kind and checksum",
            "tokenctl decode --json -j 0 < tokens.txt | jq -c .payload  # A large batch, every processor",
            "curl -sv https://api.example.com/me 2>&1 | tokenctl decode --scan  # Every token of an exchange",
        ],
        options: [
            OptionSpec(
                long: "json",
                help: "Print {header, payload, size, warnings} as one JSON object (one a line for several "
                    + "tokens)."),
            OptionSpec(
                long: "line-number", short: "n",
                help: "Prefix each text result with its input line number (or the argument's position) and a "
                    + "colon, as grep -n does."),
            .nowOption,
            .maxTokenBytesOption,
            .jobsOption,
            .scanOption(),
            .showTokensOption,
        ],
        run: DecodeCommand.run)

    static let inspectSize = CommandSpec(
        name: "inspect-size",
        abstract: "Measure tokens or claim sets against a size budget, claim by claim.",
        discussion: """
            For each token, or each claim set given with --claims (sized as sign would write it: with the \
            key of --key, --secret-file, --secret-env or --keyset, else the default keyset when it exists, \
            else for --alg, default ES256), prints the total bytes and the header, payload and signature split; each claim's \
            encoded cost, largest first; the share of the budget; and the size policy's findings, each with \
            a fix.

            The budget is a byte count (4096, 4k) or the name of a known limit, such as cookie (4096 bytes) \
            or nginx (its default 8k header buffer). --context adds the bytes around the token: the \
            "Authorization: Bearer " header, or the cookie's name and attributes.

            An argument that looks like a token is a token; anything else is a path (a file of tokens, one \
            a line, or a claim set), read as a stream, so /dev/stdin and process substitution work. Every \
            input is reported even when one fails, and every input line is one result. --jobs N sizes the \
            lines of each stream on N threads, with the same report.

            Exit status 1 when a token is over budget or a finding at the --fail-on level stands, so a CI \
            step fails on bloat; 2 when an input cannot be read; the most severe wins. --format json writes \
            one JSON object per input, one a line (JSON Lines); --format github prints workflow annotations, \
            every field escaped.

            With --scan, the arguments are files (or - for standard input) of real traffic (logs, HAR files, \
            curl -v output), and the report covers every distinct JWT found: the count; the p50, p95, p99 \
            and max of the encoded size (nearest rank), and with --context of the header line or cookie that \
            carries it (as found, else as --context assumes); the same grouped by iss, kid and carrier; how \
            many are over --budget (exit status 1); the claims that cost the most bytes; and the largest \
            tokens with their places. --format json prints one document {count, over_budget, bytes, groups, \
            ...}; --format github annotates each token over budget at its file and line.
            """,
        arguments: "[TOKEN|FILE...]",
        argumentHelp: "Tokens, or files holding a token or a claim set (JSON). With none, tokens are read "
            + "from standard input, one a line.",
        examples: [
            "tokenctl inspect-size \"$TOKEN\"  # Where the bytes go, claim by claim",
            "tokenctl inspect-size --budget cookie --format github claims/*.json  # In CI",
            "tokenctl inspect-size --claims claims.json --alg RS256 --budget 1k  # Before signing",
            "tokenctl inspect-size --context cookie --cookie-name session - < t.jwt  # As a cookie",
            "tokenctl inspect-size --scan --budget nginx --format json access.log  # Sizes of real traffic",
        ],
        options: [
            OptionSpec(
                long: "claims", value: "CLAIMS", repeatable: true,
                help: "A claim set to size as if signed: a JSON object, @FILE (or just FILE) to read one from a "
                    + "file, pipe or /dev/stdin, or - to read it from standard input.",
                completion: .file(extensions: ["json"])),
            OptionSpec(
                long: "alg", value: "ALG", help: "Algorithm claim sets are sized for. Default: ES256.",
                choices: Self.signingAlgorithms),
            .keyOption(help: "Size claim sets as signed by this key: its algorithm, kid and signature length.",
                conflicts: []),
            .keysetOption(help: "Size claim sets as signed by the active key of the keyset in DIR."),
        ] + Self.secretOptions + [
            OptionSpec(long: "kid", value: "KID", help: "Size claim sets with this kid, as sign --kid.", conflicts: ["no-kid"]),
            OptionSpec(long: "no-kid", help: "Size claim sets without a kid header, as sign --no-kid."),
            OptionSpec(long: "typ", value: "TYP", help: "Size claim sets with this typ, as sign --typ.", conflicts: ["no-typ"]),
            OptionSpec(long: "no-typ", help: "Size claim sets without a typ header, as sign --no-typ."),
            OptionSpec(
                long: "header", value: "NAME=VALUE", repeatable: true,
                help: "Size claim sets with this header member, as sign --header."),
            OptionSpec(
                long: "budget", value: "BYTES|NAME",
                help: "The size budget: bytes (4096, 4k) or a known limit such as cookie or nginx. Default: 4k.",
                completion: .words(SizeBudget.known.compactMap(\.name))),
            .policyOption,
            OptionSpec(
                long: "context", value: "CONTEXT",
                help: "Also count the bytes around the token: the Authorization header or the cookie.",
                choices: ["authorization", "cookie"]),
            OptionSpec(long: "cookie-name", value: "NAME", help: "The cookie name counted by --context cookie."),
            OptionSpec(
                long: "format", value: "FORMAT",
                help: "Output format: human text, JSON Lines (one object per input), or GitHub workflow "
                    + "annotations. Default: text.",
                choices: InspectSizeCommand.Format.allCases.map(\.rawValue)),
            OptionSpec(
                long: "json", help: "Same as --format json, as for the other commands.", conflicts: ["format"]),
            OptionSpec(
                long: "fail-on", value: "LEVEL",
                help: "Exit 1 when a finding of this level or worse stands. Default: error.",
                choices: InspectSizeCommand.failOnLevels.map(\.rawValue)),
            .maxTokenBytesOption,
            .jobsOption,
            .nowOption,
            .scanOption(conflicts: ["claims"]),
            .showTokensOption,
        ],
        run: InspectSizeCommand.run)

    /// The sign options that shape a JWT and mean nothing for `--api-key`.
    static let jwtOnlySignOptions = [
        "claims", "sub", "iss", "aud", "exp", "no-exp", "nbf", "iat", "jti", "claim", "header", "kid", "typ", "alg",
        "key", "secret-file", "secret-env", "secret-encoding", "password-file", "password-env",
        "max-bytes", "allow-large",
    ]
    static let rotateKeys = CommandSpec(
        name: "rotate-keys",
        abstract: "Rotate a keyset's signing keys: publish ahead, sign, retire, remove.",
        discussion: """
            A keyset is a directory (mode 0700) holding keys.json, the private keys with their states (mode \
            0600), and jwks.json, the public keys to serve at /.well-known/jwks.json (mode 0644; an HMAC \
            keyset's secrets never go there). Each key is next (published, not yet signing), active (signs; \
            exactly one), or retiring (published, verifies, never signs), then removed; keys.json records \
            when each state began. sign --keyset signs with the active key; verify --keyset accepts the \
            next, active and retiring keys by kid.

            One rotation: the next key becomes active, the active key becomes retiring, and a new next key \
            is made. Retiring keys are removed once they have been retiring for --retire-after (default 1d), \
            on every run: it must cover the longest token lifetime, or tokens die with their key. A missing \
            keyset is created with an active and a next key. A keyset without a next key (such as the one \
            sign makes on first use) first gets one and does not rotate in that run, so that no key ever \
            signs before it has been published.

            With --rotate-after, nothing rotates until the active key has been active that long, so the \
            command is safe in an hourly or daily cron job; --force rotates now. --dry-run shows what would \
            change and writes nothing; --status shows each key's state and age and when the next rotation \
            and removals are due. A warning says when the key about to sign was published less than an \
            hour ago.

            A keyset that holds API-key secrets (made by the first sign --api-key --keyset or --bound) \
            rotates them with the signing keys: next becomes active (it mints keyset-bound keys), active \
            becomes retiring (its keys still verify), retiring secrets are removed after --retire-after \
            (their keys are then rejected), and a new next secret is made. --status and --json list them by \
            id, state and age, never their bytes; they never go into jwks.json.

            Writes are atomic and ordered (new keys are published before anything signs with them; removed \
            keys are unpublished last), under a lock (.lock in the keyset) that a second run waits for at \
            most --lock-wait. Like ~/.ssh, the directory and keys.json must belong to you and be closed to \
            group and others, and neither may be a symbolic link; otherwise the command stops with the \
            chmod or chown that fixes it. Exit status 0 when it rotated or had nothing to do, 2 when the \
            keyset cannot be read, locked or written.
            """,
        examples: [
            "tokenctl rotate-keys --keyset /etc/app/keys  # Create, or rotate now",
            "tokenctl rotate-keys --keyset /etc/keys --rotate-after 30d --retire-after 2d  # Hourly in cron: rotates every 30 days",
            "tokenctl rotate-keys --keyset /etc/app/keys --status  # States, ages, what is due",
            "tokenctl rotate-keys --keyset ./keys --alg EdDSA --force --dry-run  # What a switch would do",
            "tokenctl rotate-keys --rotate-after 30d --jwks-out /srv/www/jwks.json --json  # Web root",
        ],
        options: [
            .keysetOption(help: "The keyset directory. Default: the default keyset ($TOKENCTL_KEYSET, else "
                + "$XDG_CONFIG_HOME/tokenctl/keyset, else ~/.config/tokenctl/keyset)."),
            OptionSpec(
                long: "rotate-after", value: "DURATION",
                help: "Rotate only when the active key has been active this long (else say when it is due). "
                    + "Default: rotate on every run."),
            OptionSpec(
                long: "retire-after", value: "DURATION",
                help: "Remove a retiring key after this long; it must cover the longest token lifetime. "
                    + "Default: 1d."),
            OptionSpec(long: "force", help: "Rotate now, whatever --rotate-after says."),
            OptionSpec(long: "dry-run", help: "Print what would change and write nothing."),
            OptionSpec(
                long: "status", help: "Show each key's kid, algorithm, state and age, and when the next rotation "
                    + "and removals are due; change nothing.",
                conflicts: ["force", "dry-run", "jwks-out", "alg"]),
            OptionSpec(
                long: "alg", value: "ALG",
                help: "Algorithm of new keys: any asymmetric one, or HS256/384/512 for a shared-secret keyset. "
                    + "Default: that of the newest key, else ES256.",
                choices: Self.signingAlgorithms),
            OptionSpec(
                long: "jwks-out", value: "FILE",
                help: "Also write the public JWKS to FILE (a web root), atomically.",
                completion: .file(extensions: ["json"])),
            OptionSpec(
                long: "lock-wait", value: "DURATION",
                help: "How long to wait for another run's lock before giving up (exit 2). Default: 10s."),
            .nowOption,
            OptionSpec(long: "json", help: "Print the summary (or the status) as one JSON object."),
        ],
        run: RotateKeysCommand.run)

    /// The algorithms tokenctl signs with, in documentation order: every ``Algorithm`` but the
    /// fully specified Ed25519 and Ed448, which sign as EdDSA.
    static let signingAlgorithms = Algorithm.all.filter { $0.signingName == $0 }.map(\.rawValue)

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
            choices: SecretEncoding.allCases.map(\.rawValue)),
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

    /// `--policy FILE`, shared by sign and inspect-size.
    static let policyOption = OptionSpec(
        long: "policy", value: "FILE",
        help: "The small-claims policy (JSON: budget, limits, allowed_claims, severities). Default: "
            + ".tokenctl.json in the working directory or the nearest parent that has one.",
        completion: .file(extensions: ["json"]))

    /// `--now INSTANT`.
    static let nowOption = OptionSpec(
        long: "now", value: "INSTANT",
        help: "Take INSTANT (Unix seconds or RFC 3339) as the current time, for reproducible scripts and tests.")

    /// `--scan`, shared by decode, verify and inspect-size.
    static func scanOption(conflicts: [String] = []) -> OptionSpec {
        OptionSpec(
            long: "scan",
            help: "Find every JWT in free text: the files given or standard input (curl -v output, HAR files, OAuth "
                + "responses, logs, URLs), each reported once with where it was found.",
            conflicts: conflicts)
    }

    /// `--show-tokens`, with --scan.
    static let showTokensOption = OptionSpec(
        long: "show-tokens",
        help: "With --scan, print each token found in full instead of its fingerprint (the first 12 characters "
            + "and a hash of the rest).")

    /// `--max-token-bytes N`.
    static let maxTokenBytesOption = OptionSpec(
        long: "max-token-bytes", value: "N",
        help: "Treat a token over N bytes as malformed. Default: 262144 (256 KiB).")

    /// `--jobs N`, shared by the batch modes of decode, verify and inspect-size.
    static let jobsOption = OptionSpec(
        long: "jobs", short: "j", value: "N",
        help: "Work a batch (tokens one a line) on N threads, results still in input order, byte for byte as "
            + "with one. 0: one per processor this process may use. Default: 1. --scan uses one.")
}
