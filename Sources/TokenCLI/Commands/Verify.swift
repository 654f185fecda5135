import Foundation
import TokenKit

/// `tokenctl verify`: checks signatures and claims; exit 0 valid, 1 rejected, 2 usage.
enum VerifyCommand {
    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        _ = try BatchJobs.count(arguments)  // checked in --scan mode too, which uses one thread
        if arguments.has("scan") { return try ScanCommand.verify(arguments, console) }
        try ScanCommand.requireScan(arguments)
        let keySet = try JWKSOptions.keySet(arguments, console, now: try CommonOptions.now(arguments))
        var verifier = Result { try makeVerifier(arguments, console, keySet: keySet) }  // API keys alone need no JWT key
        let apiKeys = try APIKeyVerify(arguments, console)
        let json = arguments.has("json")
        let quiet = arguments.has("quiet")
        let numbered = arguments.has("line-number")
        var inputs = try TokenInputs(arguments, console: console, maxTokenBytes: try CommonOptions.maxTokenBytes(arguments))
        let jobs = try BatchJobs.count(arguments)
        let isBatch = inputs.isBatch
        var status = ExitStatus.success
        var hint = ScanHint()
        defer { hint.emit(console, command: "verify") }
        // Worker threads read the verifier; only the calling thread replaces it (a refresh),
        // and only keys from a JWKS can be refreshed: other verifiers are read without a lock.
        let refreshes = keySet != nil
        let shared = SharedVerifier(verifier, version: keySet?.version ?? 0)
        let fixed = refreshes ? nil : verifier
        var sharedVersion = keySet?.version ?? 0
        try BatchJobs.run(
            jobs: jobs, inputs: &inputs, console: console, version: { keySet?.version ?? 0 },
            parallel: { item, console in
                let input = item.input
                let output = Output(batch: isBatch, json: json, quiet: quiet, line: input.line, numbered: numbered)
                if case .success(let text) = input.item, APIKey.looksLikeAPIKey(text) {
                    guard let result = try? apiKeys.verify(text) else { return nil }  // ends the run: in order
                    APIKeyVerify.report(result, output, console)
                    if case .failure = result { return BatchJobs.Outcome(status: .rejected) }
                    return BatchJobs.Outcome(status: .success)
                }
                let (version, made) = fixed.map { (0, $0) } ?? shared.current
                guard let tokenVerifier = try? apiKeys.tokenVerifier(made) else { return nil }
                let result = Result { try tokenVerifier().verify(input.item.get()) }.mapError(TokenError.wrapping)
                if case .failure(let error) = result {
                    if refreshes, error.code == .keyNotFound { return nil }  // may refresh the keys: in order
                    report(result, output, console)
                    return BatchJobs.Outcome(status: .rejected, failed: true, version: version)
                }
                report(result, output, console)
                return BatchJobs.Outcome(status: .success, version: version)
            },
            serial: { item, console in
                let input = item.input
                let output = Output(batch: isBatch, json: json, quiet: quiet, line: input.line, numbered: numbered)
                if case .success(let text) = input.item, APIKey.looksLikeAPIKey(text) {
                    let result: Result<APIKeyVerifier.Verified, TokenError>
                    do {
                        result = try apiKeys.verify(text)
                    } catch {
                        hint.note(input.item)
                        throw error
                    }
                    APIKeyVerify.report(result, output, console)
                    if case .failure = result { return BatchJobs.Outcome(status: .rejected) }
                    return BatchJobs.Outcome(status: .success)
                }
                let tokenVerifier: () throws -> TokenVerifier
                do {
                    tokenVerifier = try apiKeys.tokenVerifier(verifier)
                } catch {
                    hint.note(input.item)
                    throw error
                }
                let result = Result {
                    var current = try tokenVerifier()
                    defer {
                        verifier = .success(current)  // a refresh on an unknown kid replaces the keys
                        if let version = keySet?.version, version != sharedVersion {
                            sharedVersion = version
                            shared.replace(verifier, version: version)
                        }
                    }
                    return try current.verify(input.item.get(), refreshingFrom: keySet)
                }.mapError(TokenError.wrapping)
                JWKSOptions.printNotes(keySet, console)
                report(result, output, console)
                if case .failure = result { return BatchJobs.Outcome(status: .rejected, failed: true) }
                return BatchJobs.Outcome(status: .success)
            },
            each: { input, outcome in
                hint.note(input.item)
                if outcome.failed { hint.failed() }
                status = max(status, outcome.status)
            })
        return status
    }

    /// The JWT verifier of a run and the version of the keys it holds, read by `--jobs`
    /// threads; the calling thread replaces it when a refresh brings new keys.
    private final class SharedVerifier: Sendable {
        private let state: Locked<(version: Int, verifier: Result<TokenVerifier, any Error>)>

        init(_ verifier: Result<TokenVerifier, any Error>, version: Int) {
            state = Locked((version, verifier))
        }

        var current: (version: Int, verifier: Result<TokenVerifier, any Error>) { state.withLock { $0 } }

        func replace(_ verifier: Result<TokenVerifier, any Error>, version: Int) {
            state.withLock { $0 = (version, verifier) }
        }
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

    /// How one result is printed (API-key results too).
    struct Output {
        var batch: Bool
        var json: Bool
        var quiet: Bool
        /// The input's line on standard input, or its position among the arguments.
        var line: Int
        /// `-n/--line-number`: prefix text results with `LINE:`.
        var numbered: Bool
    }

    /// Prints one result. Text results are escaped (a token's `alg` or claims cannot add a
    /// line or a terminal sequence); `-q` prints nothing, in batch mode too.
    private static func report(
        _ result: Result<TokenVerifier.Verified, TokenError>, _ output: Output, _ console: Console
    ) {
        let json = output.json
        let quiet = output.quiet
        let batch = output.batch
        let prefix = output.numbered ? output.line : nil
        switch result {
        case .success(let verified):
            if json {
                var object = JSONObject()
                object["valid"] = .bool(true)
                object["alg"] = .string(verified.algorithm.rawValue)
                object["kid"] = verified.key.kid.map(JSONValue.string) ?? verified.token.keyID.map(JSONValue.string) ?? .null
                object["header"] = .object(verified.token.header)
                object["payload"] = .object(verified.claims.object)
                object["line"] = .number(JSONNumber(output.line))
                console.stdout.write(CommonOptions.jsonLine(object))
            } else if quiet {
                return
            } else if batch {
                console.printResult("valid\n", line: prefix)
            } else {
                console.printResult(JSONValue.object(verified.claims.object).prettyPrinted() + "\n", line: prefix)
            }
        case .failure(let error):
            if json {
                let detail = JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))])
                console.stdout.write(CommonOptions.jsonLine(JSONObject([
                    ("valid", .bool(false)), ("error", .object(detail)), ("line", .number(JSONNumber(output.line))),
                ])))
            } else if quiet {
                return
            } else if batch {
                console.printResult("invalid \(error.code.id): \(UntrustedText.escaped(error.reasonWithHint))\n", line: prefix)
            } else {
                console.error("verify", code: error.code.id, error.reasonWithHint)
            }
        }
    }
}
