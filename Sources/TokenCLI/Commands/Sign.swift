import TokenKit

/// `tokenctl sign`: mints a JWT from claims, claim flags and defaults, with a key, a secret,
/// a keyset, or the default keyset (created on first use).
enum SignCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        if APIKeySignCommand.applies(arguments) { return try APIKeySignCommand.run(arguments, console) }
        let now = try CommonOptions.now(arguments)
        let claims = try buildClaims(arguments, console, now: now)
        try checkClaims(claims, arguments, now: now)
        _ = try SignOptions.extraHeader(arguments)  // usage errors before the key is touched
        guard
            let signer = try SignOptions.signer(
                arguments, console, command: "sign", now: now, createDefaultKeyset: true)
        else { throw TokenError(.keyUnsuitable, "no signing key") }
        let header = try SignOptions.header(signer, arguments)
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
        var policy = try PolicyOptions.policy(arguments)
        if let text = arguments.value("max-bytes") {
            guard let bytes = SizeBudget.byteCount(text), bytes <= SizeBudget.maxBytes else {
                throw TokenError.invalidValue("--max-bytes must be a positive number of bytes up to 1 GiB, like 4096 or 4k")
            }
            policy = PolicyOptions.replacingBudget(policy, with: SizeBudget(bytes: bytes))
        }
        let report = try SizeReport(token: CompactToken(token, maxBytes: Int.max))
        let allowLarge = arguments.has("allow-large")
        let findings = policy.evaluate(report, now: now)
        for finding in findings where !(finding.rule == .overBudget && !allowLarge) {
            console.warn("sign", "\(finding.message); fix: \(finding.fix)")
        }
        if policy.isOverBudget(report), !allowLarge {
            throw TokenError(.overBudget, "the token would be \(report.totalBytes) bytes, over the \(policy.budget.bytes)-byte budget: move the largest claims to the database (see 'tokenctl inspect-size'), or pass --max-bytes N or --allow-large")
        }
        // A rule a project's policy file raised to error refuses the token, as inspect-size fails on it.
        if let error = findings.first(where: { $0.severity == .error && $0.rule != .overBudget }) {
            throw TokenError(
                .overBudget, "the policy makes \(error.rule.id) an error: \(error.message); fix: \(error.fix)")
        }
    }

    /// Refuses (exit 2, `invalid_claim`) registered claims of the wrong type, and, unless
    /// `--allow-invalid-times`, a token that would already be expired or could never be valid.
    static func checkClaims(_ claims: JSONObject, _ arguments: ParsedArguments, now: Int64) throws {
        let claimSet = JWTClaims(claims)
        do {
            try claimSet.checkRegisteredClaimTypes()
        } catch let error as TokenError {
            throw UsageError("invalid_claim", error.reason, hint: "Registered claims have the types of RFC 7519 4.1; "
                + "-c NAME=VALUE sets a string, -c NAME:=JSON a JSON value.")
        }
        if arguments.has("allow-invalid-times") { return }
        do {
            try claimSet.checkValidityWindow(now: now)
        } catch let error as TokenError {
            var hint = ""
            // Name the durations that were counted from iat, and where iat was.
            let counted = ["nbf", "exp"].compactMap { name in
                arguments.value(name).flatMap { value in
                    let isDuration = (try? TokenDuration.parse(value)) != nil && !value.allSatisfy(\.isNumber)
                    return isDuration ? "--\(name) \(value)" : nil
                }
            }
            if !counted.isEmpty, let iat = try? claimSet.numericDate("iat") {
                let verb = counted.count == 1 ? "is" : "are"
                hint = "\(counted.joined(separator: " and ")) \(verb) counted from iat \(Instant.rfc3339(iat)). "
            }
            if let exp = arguments.value("exp"), exp.allSatisfy(\.isNumber), (Int64(exp) ?? 0) <= now {
                hint += "A bare number is an instant (Unix seconds); a duration needs a unit: --exp \(exp)s, --exp 1h. "
            }
            hint += "Pass --allow-invalid-times to sign it anyway (for test fixtures)."
            throw UsageError("invalid_claim", error.reason, hint: hint)
        }
    }

    /// Claims from `--claims`, then the claim flags, then the defaults for what is still absent.
    static func buildClaims(_ arguments: ParsedArguments, _ console: Console, now: Int64) throws -> JSONObject {
        if arguments.has("exp"), arguments.has("no-exp") { throw UsageError.conflicting("exp", "no-exp") }
        var builder = ClaimSetBuilder()
        if let source = arguments.value("claims") {
            builder = try readClaims(source, console)
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
            builder.set("nbf", .number(JSONNumber(try Instant.parse(durationOrInstant: nbf, from: issuedAt))))
        }
        if let exp = arguments.value("exp") {
            builder.set("exp", .number(JSONNumber(try Instant.parse(durationOrInstant: exp, from: issuedAt))))
        }
        if arguments.has("no-exp") { builder.set("exp", nil) }
        if arguments.has("jti") {
            builder.set("jti", .string(try arguments.value("jti") ?? Base64URL.encode(SecureRandom.bytes(count: 16))))
        }
        for assignment in arguments.values("claim") { try builder.set(assignment: assignment) }
        builder.fillDefaults(now: now, lifetime: arguments.has("no-exp") ? nil : ClaimSetBuilder.defaultLifetime)
        return builder.claims
    }

    /// The claims of `--claims`: inline JSON, `@FILE` or `-`, with hints for a file name
    /// given without `@` and for a UTF-8 byte order mark.
    static func readClaims(_ source: String, _ console: Console) throws -> ClaimSetBuilder {
        let bytes = try CommonOptions.readArgumentData(source, console, what: "claims file")
        do {
            return try ClaimSetBuilder(json: bytes)
        } catch let error as TokenError {
            if source != "-", !source.hasPrefix("@"), FileAccess.exists(source) {
                throw UsageError(
                    "invalid_value", "--claims '\(source)' is not JSON but names a file",
                    hint: "Write --claims @\(source) to read the claims from it.")
            }
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
                throw TokenError(
                    error.code, "\(error.reason); the claim set starts with a UTF-8 byte order mark (BOM, EF BB BF): "
                        + "save the file as UTF-8 without a BOM")
            }
            throw error
        }
    }
}
