#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
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
        var hint = ScanHint()
        defer { hint.emit(console, command: "verify") }
        // Threads read the verifier as they work; only `serial`, one at a time, replaces it (a
        // refresh), and only keys from a JWKS can be refreshed: other verifiers are read without a lock.
        let refreshes = keySet != nil
        let shared = SharedVerifier(verifier, version: keySet?.version ?? 0)
        let fixed = refreshes ? nil : verifier
        // The usual run: one verifier for every token, used in place (no copy, no closure a token).
        let fixedVerifier: TokenVerifier? = if case .success(let made)? = fixed { made } else { nil }
        var sharedVersion = keySet?.version ?? 0
        // A line that is the usual token, verified from its bytes (no string, no tree) when its
        // verdict is a line; every other line takes the paths below. With several jobs each
        // thread verifies with a copy of its own (TokenVerifier.unsharedCopy()).
        let threadVerifiers = jobs > 1 ? PerThread<TokenVerifier?> { nil } : nil
        let usual: (@Sendable () -> BatchJobs.LineWork)? =
            if let fixedVerifier, json || isBatch {
                {
                    let verifier = threadVerifiers?.withLock { copy in
                        if copy == nil { copy = fixedVerifier.unsharedCopy() }
                        return copy!
                    } ?? fixedVerifier
                    return { number, bytes, console in
                        // json || isBatch: each result is a line, or nothing.
                        typealias Verdict = Result<TokenVerifier.VerifiedBytes, TokenError>
                        let output = Output(batch: isBatch, json: json, quiet: quiet, line: number, numbered: numbered)
                        do {
                            let decided = try verifier.verifyUsual(bytes) { _ = reportLine(Verdict.success($0), output, console) }
                            return decided ? BatchJobs.Outcome(status: .success) : nil
                        } catch {
                            _ = reportLine(Verdict.failure(TokenError.wrapping(error)), output, console)
                            return BatchJobs.Outcome(status: .rejected, failed: true)
                        }
                    }
                }
            } else { nil }
        return try BatchJobs.run(
            jobs: jobs, inputs: &inputs, console: console, version: { keySet?.version ?? 0 }, hint: &hint,
            parallel: { item, console in
                let input = item.input
                let output = Output(batch: isBatch, json: json, quiet: quiet, line: input.line, numbered: numbered)
                if case .success(let text) = input.item, APIKey.looksLikeAPIKey(text) {
                    guard let result = try? apiKeys.verify(text) else { return nil }  // ends the run: in order
                    APIKeyVerify.report(result, output, console)
                    if case .failure = result { return BatchJobs.Outcome(status: .rejected) }
                    return BatchJobs.Outcome(status: .success)
                }
                if let fixedVerifier { return verify(input.item, with: fixedVerifier, output, console) }
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
                    let result = try apiKeys.verify(text)
                    APIKeyVerify.report(result, output, console)
                    if case .failure = result { return BatchJobs.Outcome(status: .rejected) }
                    return BatchJobs.Outcome(status: .success)
                }
                if let fixedVerifier { return verify(input.item, with: fixedVerifier, output, console) }
                let tokenVerifier = try apiKeys.tokenVerifier(verifier)
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
            line: usual)
    }

    /// Verifies and reports one token with a verifier whose keys never change in the run.
    private static func verify(
        _ item: TokenInputs.Item, with verifier: TokenVerifier, _ output: Output, _ console: Console
    ) -> BatchJobs.Outcome {
        let result = Result { try verifier.verify(item.get()) }.mapError(TokenError.wrapping)
        report(result, output, console)
        if case .failure = result { return BatchJobs.Outcome(status: .rejected, failed: true) }
        return BatchJobs.Outcome(status: .success)
    }

    /// The JWT verifier of a run and the version of the keys it holds, read by `--jobs`
    /// threads; `serial` replaces it when a refresh brings new keys.
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
        if reportLine(result, output, console) { return }
        let prefix = output.numbered ? output.line : nil
        switch result {
        case .success(let verified):
            console.printResult(JSONValue.object(verified.claims.object).prettyPrinted() + "\n", line: prefix)
        case .failure(let error):
            console.error("verify", code: error.code.id, error.reasonWithHint)
        }
    }

    /// Prints one result as a line (`--json`, or a batch's verdict) or, with `-q`, nothing;
    /// `false` when it is a single token's text result, which ``report(_:_:_:)`` prints.
    private static func reportLine<Token: VerifiedToken>(
        _ result: Result<Token, TokenError>, _ output: Output, _ console: Console
    ) -> Bool {
        if output.json || (output.batch && !output.quiet) {
            console.stdout.write { render(result, output, into: &$0) }
            return true
        }
        return output.quiet
    }

    /// Appends one result line to `out`: the `--json` object, or in a batch `valid` or
    /// `invalid CODE: REASON` (escaped, `LINE:` first with `-n`). Written as bytes into the
    /// output buffer: the header and payload are copied as received when already compact
    /// JSON (``CompactToken/serializeHeader(to:)``, ``TokenVerifier/Verified/serializeClaims(to:)``),
    /// so a valid token costs no string.
    static func render<Token: VerifiedToken>(_ result: Result<Token, TokenError>, _ output: Output, into out: inout ByteWriter) {
        switch result {
        case .success(let verified):
            if output.json {
                JSONBytes.raw(#"{"valid":true,"alg":"#, to: &out)
                verified.algorithm.appendJSONString(to: &out)
                if let kid = verified.shownKeyID {
                    JSONBytes.raw(#","kid":"#, to: &out)
                    JSONValue.serialize(string: kid, to: &out)
                    JSONBytes.raw(#","header":"#, to: &out)
                } else {
                    JSONBytes.raw(#","kid":null,"header":"#, to: &out)
                }
                verified.serializeHeader(to: &out)
                JSONBytes.raw(#","payload":"#, to: &out)
                verified.serializeClaims(to: &out)
                appendLine(output.line, to: &out)
            } else {
                if output.numbered { JSONBytes.number(Int64(output.line), to: &out); out.append(UInt8(ascii: ":")) }
                JSONBytes.raw("valid\n", to: &out)
            }
        case .failure(let error):
            if output.json {
                JSONBytes.raw(#"{"valid":false,"error":"#, to: &out)
                JSONBytes.error(error, to: &out)
                appendLine(output.line, to: &out)
            } else {
                if output.numbered { JSONBytes.number(Int64(output.line), to: &out); out.append(UInt8(ascii: ":")) }
                out.append(contentsOf: "invalid \(error.code.id): \(UntrustedText.escaped(error.reasonWithHint))\n")
            }
        }
    }

    /// Appends `,"line":N}` and the line break that end a JSON result.
    private static func appendLine(_ line: Int, to out: inout ByteWriter) {
        JSONBytes.raw(#","line":"#, to: &out)
        JSONBytes.number(Int64(line), to: &out)
        JSONBytes.raw("}\n", to: &out)
    }
}

/// What a `verify` verdict line shows of a valid token: ``TokenVerifier/Verified``, or
/// ``TokenVerifier/VerifiedBytes`` from a batch's usual line.
protocol VerifiedToken {
    /// The algorithm that verified it.
    var algorithm: Algorithm { get }
    /// The `kid` of the key that verified it, when it has one.
    var verifyingKeyID: String? { get }
    /// The header's `kid`, when present.
    var headerKeyID: String? { get }
    /// Appends the header's compact JSON text.
    func serializeHeader(to out: inout ByteWriter)
    /// Appends the claims' compact JSON text.
    func serializeClaims(to out: inout ByteWriter)
}

extension VerifiedToken {
    /// The `kid` a verdict names: the verifying key's, else the header's.
    var shownKeyID: String? { verifyingKeyID ?? headerKeyID }
}

extension TokenVerifier.Verified: VerifiedToken {
    var headerKeyID: String? { token.keyID }
    func serializeHeader(to out: inout ByteWriter) { token.serializeHeader(to: &out) }
}

extension TokenVerifier.VerifiedBytes: VerifiedToken {
    var headerKeyID: String? { keyID }
}
