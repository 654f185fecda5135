import Foundation
import TokenKit

/// `tokenctl verify`: checks signatures and claims; exit 0 valid, 1 rejected, 2 usage.
enum VerifyCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        let verifier = try makeVerifier(arguments, console)
        let json = arguments.has("json")
        let quiet = arguments.has("quiet")
        var inputs = try TokenInputs(arguments, console: console, maxTokenBytes: verifier.maxTokenBytes)
        var status = ExitStatus.success
        while let item = try inputs.next() {
            let result = Result { try verifier.verify(item.get()) }.mapError(TokenError.wrapping)
                .mapError { audienceHint($0, verifier) }
            if case .failure = result { status = .rejected }
            report(result, batch: inputs.isBatch, json: json, quiet: quiet, console)
        }
        return status
    }

    private static func makeVerifier(_ arguments: ParsedArguments, _ console: Console) throws -> TokenVerifier {
        let keys = try KeyOptions.verificationKeys(arguments, console, command: "verify")
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
        requirements.issuer = arguments.value("iss")
        requirements.audiences = arguments.values("aud")
        requirements.ignoreAudience = arguments.has("ignore-aud")
        requirements.subject = arguments.value("sub")
        requirements.type = arguments.value("typ")
        requirements.requiredClaims = arguments.values("require")
        if let path = arguments.value("revoked") {
            let bytes = try FileAccess.readRegularFile(path, maxBytes: 64 << 20, what: "revocation list")
            requirements.revokedIDs = try RevocationList(fileContents: bytes)
        }
        return TokenVerifier(
            signatureVerifier: signatureVerifier, requirements: requirements,
            maxTokenBytes: try CommonOptions.maxTokenBytes(arguments))
    }

    /// Adds the options to pass to an audience rejection when no `--aud` was given.
    private static func audienceHint(_ error: TokenError, _ verifier: TokenVerifier) -> TokenError {
        guard error.code == .audienceMismatch, verifier.requirements.audiences.isEmpty else { return error }
        return TokenError(error.code, error.reason + "; pass --aud with the audience you expect, or --ignore-aud to skip the check")
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
                console.stdout.write("invalid \(error.code.id): \(error.reason)\n")
            } else if !quiet {
                console.error("verify", code: error.code.id, error.reason)
            }
        }
    }
}
