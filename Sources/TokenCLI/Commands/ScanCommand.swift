import TokenKit

/// `decode --scan` and `verify --scan`: find every JWT-shaped candidate in free text (files
/// or standard input) and decode or verify each distinct one, with where it was found.
///
/// Tokens are named by their fingerprint unless `--show-tokens`. Exit status: 0 when every
/// candidate decodes (or verifies); 1 when one is not a JWT (or is rejected); 2 when nothing
/// was found or an input cannot be read.
enum ScanCommand {
    /// The error when a scan finds nothing.
    static func nothingFound() -> TokenError {
        TokenError.invalidValue("no JWT found in the input: nothing starting with eyJ in three dot-separated parts")
    }

    /// `decode --scan`.
    static func decode(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        let now = try CommonOptions.now(arguments)
        let maxTokenBytes = try CommonOptions.maxTokenBytes(arguments)
        let json = arguments.has("json")
        let showTokens = arguments.has("show-tokens")
        let paint = Painter(enabled: console.useColor(arguments))
        let collector = try ScanInputs.collect(arguments, console, command: "decode", maxTokenBytes: maxTokenBytes)
        guard collector.occurrences > 0 else { throw nothingFound() }
        var status = ExitStatus.success
        var distinct = 0
        var notJWT = 0
        try collector.forEachFinding { finding in
            distinct += 1
            if !json {
                if distinct > 1 { console.stdout.write("\n") }
                console.stdout.write(paint.bold("== " + ScanRender.heading(finding, showTokens: showTokens)) + "\n")
            }
            switch finding.kind {
            case .jwt:
                guard let token = finding.token else { return }
                let inspection = TokenInspection(token: token, now: now)
                if json {
                    // The head, then the members `decode --json` writes, straight to bytes.
                    console.stdout.write { out in
                        ScanRender.openJSONHead(finding, showTokens: showTokens, to: &out)
                        JSONBytes.raw(#","jwt":true,"#, to: &out)
                        DecodeCommand.writeJSONMembers(inspection, to: &out)
                        JSONBytes.raw("}\n", to: &out)
                    }
                } else {
                    console.stdout.write(DecodeCommand.text(inspection, paint: paint))
                }
            case .notJWT(let error):
                status = .rejected
                notJWT += 1
                if json {
                    console.stdout.write { out in
                        ScanRender.openJSONHead(finding, showTokens: showTokens, to: &out)
                        JSONBytes.raw(#","jwt":false,"error":"#, to: &out)
                        JSONBytes.error(error, to: &out)
                        JSONBytes.raw("}\n", to: &out)
                    }
                } else {
                    console.stdout.write("not a JWT: \(error.code.id): \(ScanRender.untrusted(error.reason))\n")
                }
            }
        }
        if !json {
            console.stdout.write("\n" + summary(distinct: distinct, notJWT: notJWT, occurrences: collector.occurrences) + "\n")
        }
        return status
    }

    /// `verify --scan`.
    static func verify(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        let keySet = try JWKSOptions.keySet(arguments, console, now: try CommonOptions.now(arguments))
        var verifier = try VerifyCommand.makeVerifier(arguments, console, keySet: keySet)
        let json = arguments.has("json")
        let quiet = arguments.has("quiet")
        let showTokens = arguments.has("show-tokens")
        let collector = try ScanInputs.collect(
            arguments, console, command: "verify", maxTokenBytes: verifier.maxTokenBytes)
        guard collector.occurrences > 0 else { throw nothingFound() }
        var status = ExitStatus.success
        /// Writes one finding's result: only the form written is made, the JSON result,
        /// written straight to bytes, or the text heading (each names the token by its
        /// fingerprint, a SHA-256).
        func report<Token: VerifiedToken>(_ finding: ScanFinding, _ result: Result<Token, TokenError>) {
            if case .failure = result { status = .rejected }
            if json {
                console.stdout.write { out in
                    ScanRender.openJSONHead(finding, showTokens: showTokens, to: &out)
                    switch result {
                    case .success(let verified):
                        JSONBytes.raw(#","valid":true,"alg":"#, to: &out)
                        verified.algorithm.appendJSONString(to: &out)
                        JSONBytes.raw(#","kid":"#, to: &out)
                        JSONBytes.string(verified.shownKeyID, to: &out)
                        JSONBytes.raw(#","payload":"#, to: &out)
                        verified.serializeClaims(to: &out)
                    case .failure(let error):
                        JSONBytes.raw(#","valid":false,"error":"#, to: &out)
                        JSONBytes.error(error, to: &out)
                    }
                    JSONBytes.raw("}\n", to: &out)
                }
            } else if !quiet {
                let heading = ScanRender.heading(finding, showTokens: showTokens)
                switch result {
                case .success: console.stdout.write("\(heading): valid\n")
                case .failure(let error):
                    console.stdout.write("\(heading): invalid \(error.code.id): \(ScanRender.untrusted(error.reason))\n")
                }
            }
        }
        try collector.forEachFinding { finding in
            typealias Verdict = Result<TokenVerifier.VerifiedBytes, TokenError>
            // With keys that never change (no JWKS to refresh), the usual token is verified
            // from its bytes, as batch verify does; anything else takes the general path.
            if case .jwt = finding.kind, keySet == nil {
                var text = finding.text
                let decided = text.withUTF8 { bytes in
                    do {
                        return try verifier.verifyUsual(bytes) { report(finding, Verdict.success($0)) }
                    } catch {
                        report(finding, Verdict.failure(TokenError.wrapping(error)))
                        return true
                    }
                }
                if decided { return }
            }
            let result: Result<TokenVerifier.Verified, TokenError>
            switch finding.kind {
            case .jwt:
                result = Result { try verifier.verify(finding.text, refreshingFrom: keySet) }.mapError(TokenError.wrapping)
                JWKSOptions.printNotes(keySet, console)
            case .notJWT(let error): result = .failure(error)
            }
            report(finding, result)
        }
        return status
    }

    /// `Found 3 distinct tokens (1 not a JWT) in 5 places.`
    static func summary(distinct: Int, notJWT: Int, occurrences: Int) -> String {
        let noun = distinct == 1 ? "token" : "tokens"
        let places = occurrences == 1 ? "place" : "places"
        let bad = notJWT > 0 ? " (\(notJWT) not a JWT)" : ""
        return "Found \(distinct) distinct \(noun)\(bad) in \(occurrences) \(places)."
    }
}

extension ScanCommand {
    /// Rejects `--show-tokens` without `--scan`.
    ///
    /// - Throws: ``UsageError`` `invalid_value`.
    static func requireScan(_ arguments: ParsedArguments) throws {
        if arguments.has("show-tokens") {
            throw UsageError("invalid_value", "--show-tokens applies only with --scan")
        }
    }
}
