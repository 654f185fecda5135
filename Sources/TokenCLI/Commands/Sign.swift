import TokenKit

/// `tokenctl sign`: mints a JWT from claims, claim flags and defaults, with a key, a secret,
/// a keyset, or the default keyset (created on first use).
enum SignCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        if APIKeySignCommand.applies(arguments) { return try APIKeySignCommand.run(arguments, console) }
        let now = try CommonOptions.now(arguments)
        let claims = try buildClaims(arguments, console, now: now)
        var extraHeader = JSONObject()
        for assignment in arguments.values("header") {
            let (name, value) = try ClaimSetBuilder.split(assignment: assignment)
            extraHeader[name] = ClaimSetBuilder.value(fromArgument: value)
        }
        let key = try KeyOptions.signingKey(arguments, console, command: "sign", now: now)
        let algorithm = try arguments.value("alg").map { name in
            guard let algorithm = Algorithm(rawValue: name) else { throw TokenError.invalidValue("unknown algorithm '\(name)'") }
            return algorithm
        }
        let signer = try TokenSigner(key: key, algorithm: algorithm, kid: arguments.value("kid"))
        let header = try signer.header(type: arguments.value("typ") ?? "JWT", extra: extraHeader)
        let token = try signer.sign(payload: JSONValue.object(claims).serializedBytes, header: header)
        try checkSize(token, arguments, console, now: now)
        if arguments.has("json") {
            var object = JSONObject()
            object["token"] = .string(token)
            object["header"] = .object(header)
            object["payload"] = .object(claims)
            object["bytes"] = .number(JSONNumber(token.utf8.count))
            console.stdout.write(CommonOptions.jsonLine(object))
        } else {
            console.stdout.write(token + "\n")
        }
        return .success
    }

    /// Warns about every small-claims finding and refuses a token over the hard budget
    /// (4096 bytes, or `--max-bytes`) unless `--allow-large`.
    static func checkSize(_ token: String, _ arguments: ParsedArguments, _ console: Console, now: Int64) throws {
        var policy = ClaimPolicy()
        if let text = arguments.value("max-bytes") {
            guard let bytes = Int(text), bytes > 0 else {
                throw TokenError.invalidValue("--max-bytes must be a positive number of bytes")
            }
            policy = ClaimPolicy(budget: SizeBudget(bytes: bytes))
        }
        let report = try SizeReport(token: CompactToken(token, maxBytes: Int.max))
        let allowLarge = arguments.has("allow-large")
        for finding in policy.evaluate(report, now: now) where !(finding.rule.id == "over-budget" && !allowLarge) {
            console.warn("sign", "\(finding.message); fix: \(finding.fix)")
        }
        if policy.isOverBudget(report), !allowLarge {
            throw TokenError(.overBudget, "the token would be \(report.totalBytes) bytes, over the \(policy.budget.bytes)-byte budget: move the largest claims to the database (see 'tokenctl inspect-size'), or pass --max-bytes N or --allow-large")
        }
    }

    /// Claims from `--claims`, then the claim flags, then the defaults for what is still absent.
    static func buildClaims(_ arguments: ParsedArguments, _ console: Console, now: Int64) throws -> JSONObject {
        if arguments.has("exp"), arguments.has("no-exp") { throw UsageError.conflicting("exp", "no-exp") }
        var builder = ClaimSetBuilder()
        if let source = arguments.value("claims") {
            builder = try ClaimSetBuilder(json: try CommonOptions.readArgumentData(source, console, what: "claims file"))
        }
        if let sub = arguments.value("sub") { builder.set("sub", .string(sub)) }
        if let iss = arguments.value("iss") { builder.set("iss", .string(iss)) }
        let audiences = arguments.values("aud")
        if audiences.count == 1 {
            builder.set("aud", .string(audiences[0]))
        } else if audiences.count > 1 {
            builder.set("aud", .array(audiences.map(JSONValue.string)))
        }
        // Durations in --nbf and --exp count from iat: --iat when given, else now.
        let issuedAt = try arguments.value("iat").map(Instant.parse) ?? now
        if arguments.has("iat") { builder.set("iat", .number(JSONNumber(issuedAt))) }
        if let nbf = arguments.value("nbf") {
            builder.set("nbf", .number(JSONNumber(try Instant.parse(durationOrInstant: nbf, now: issuedAt))))
        }
        if let exp = arguments.value("exp") {
            builder.set("exp", .number(JSONNumber(try Instant.parse(durationOrInstant: exp, now: issuedAt))))
        }
        if arguments.has("no-exp") { builder.set("exp", nil) }
        if arguments.has("jti") {
            builder.set("jti", .string(try arguments.value("jti") ?? Base64URL.encode(SecureRandom.bytes(count: 16))))
        }
        for assignment in arguments.values("claim") { try builder.set(assignment: assignment) }
        builder.fillDefaults(now: now, lifetime: arguments.has("no-exp") ? nil : ClaimSetBuilder.defaultLifetime)
        return builder.claims
    }
}
