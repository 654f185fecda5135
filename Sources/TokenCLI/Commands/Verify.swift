import Foundation
import TokenKit

/// `tokenctl verify`: checks signatures and claims; exit 0 valid, 1 rejected, 2 usage.
enum VerifyCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        if arguments.has("scan") { return try ScanCommand.verify(arguments, console) }
        try ScanCommand.requireScan(arguments)
        let keySet = try JWKSOptions.keySet(arguments, console, now: try CommonOptions.now(arguments))
        var verifier = Result { try makeVerifier(arguments, console, keySet: keySet) }  // API keys alone need no JWT key
        let apiKeys = try APIKeyVerify(arguments, console)
        let json = arguments.has("json")
        let quiet = arguments.has("quiet")
        var inputs = try TokenInputs(arguments, console: console, maxTokenBytes: try CommonOptions.maxTokenBytes(arguments))
        var status = ExitStatus.success
        var hint = ScanHint()
        defer { hint.emit(console, command: "verify") }
        while let item = try inputs.next() {
            hint.note(item)
            if case .success(let text) = item, APIKey.looksLikeAPIKey(text) {
                let result = try apiKeys.verify(text)
                if case .failure = result { status = .rejected }
                APIKeyVerify.report(result, batch: inputs.isBatch, json: json, quiet: quiet, console)
                continue
            }
            let tokenVerifier = try apiKeys.tokenVerifier(verifier)
            let result = Result {
                var current = try tokenVerifier()
                defer { verifier = .success(current) }  // a refresh on an unknown kid replaces the keys
                return try current.verify(item.get(), refreshingFrom: keySet)
            }.mapError(TokenError.wrapping)
            JWKSOptions.printNotes(keySet, console)
            if case .failure = result { status = .rejected; hint.failed() }
            report(result, batch: inputs.isBatch, json: json, quiet: quiet, console)
        }
        return status
    }

    static func makeVerifier(_ arguments: ParsedArguments, _ console: Console, keySet: RemoteKeySet?) throws -> TokenVerifier {
        let keys = try keySet?.keys ?? KeyOptions.verificationKeys(arguments, console, command: "verify")
        var algorithms: Set<Algorithm>?
        let names = arguments.values("alg")
        if !names.isEmpty {
            algorithms = Set(try names.map { name in
                guard let algorithm = Algorithm(rawValue: name) else {
                    throw TokenError.invalidValue("unknown algorithm '\(name)'")
                }
                return algorithm
            })
        }
        let signatureVerifier = try SignatureVerifier(keys: keys, allowedAlgorithms: algorithms)
        var requirements = ClaimRequirements(now: try CommonOptions.now(arguments))
        if let leeway = arguments.value("leeway") { requirements.leeway = try TokenDuration.parse(leeway) }
        if let maxAge = arguments.value("max-age") { requirements.maxAge = try TokenDuration.parse(maxAge) }
        requirements.requireExpiration = !arguments.has("allow-no-exp")
        requirements.issuer = arguments.value("iss") ?? keySet?.issuer
        requirements.audiences = arguments.values("aud")
        requirements.subject = arguments.value("sub")
        requirements.type = arguments.value("typ")
        requirements.requiredClaims = arguments.values("require")
        if let path = arguments.value("revoked") {
            let text = String(decoding: try FileAccess.read(path, maxBytes: 64 << 20, what: "revocation list"), as: UTF8.self)
            requirements.revokedIDs = Set(
                text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                    .filter { !$0.isEmpty && !$0.hasPrefix("#") })
        }
        return TokenVerifier(
            signatureVerifier: signatureVerifier, requirements: requirements,
            maxTokenBytes: try CommonOptions.maxTokenBytes(arguments))
    }

    private static func report(
        _ result: Result<TokenVerifier.Verified, TokenError>, batch: Bool, json: Bool, quiet: Bool, _ console: Console
    ) {
        switch result {
        case .success(let verified):
            if json {
                var object = JSONObject()
                object["valid"] = .bool(true)
                object["alg"] = .string(verified.algorithm.rawValue)
                object["kid"] = verified.key.kid.map(JSONValue.string) ?? verified.token.keyID.map(JSONValue.string) ?? .null
                object["header"] = .object(verified.token.header)
                object["payload"] = .object(verified.claims.object)
                console.stdout.write(CommonOptions.jsonLine(object))
            } else if batch {
                if !quiet { console.stdout.write("valid\n") }
            } else if !quiet {
                console.stdout.write(JSONValue.object(verified.claims.object).prettyPrinted() + "\n")
            }
        case .failure(let error):
            if json {
                let detail = JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))])
                console.stdout.write(CommonOptions.jsonLine(JSONObject([("valid", .bool(false)), ("error", .object(detail))])))
            } else if batch {
                console.stdout.write("invalid \(error.code.id): \(error.reasonWithHint)\n")
            } else if !quiet {
                console.error("verify", code: error.code.id, error.reasonWithHint)
            }
        }
    }
}
