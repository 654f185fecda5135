import TokenKit

/// `tokenctl verify` for API keys: the checksum, then the MAC of a keyset-bound key, then
/// membership of `--api-key-hashes FILE`, read once per run. Safe to use from `--jobs` threads.
struct APIKeyVerify: Sendable {
    private let verifier: APIKeyVerifier
    /// The keyset that checks keyset-bound keys, loaded when the first one arrives.
    private let keyset: LazyKeyset?

    /// Reads `--api-key-hashes FILE` when given, and notes the keyset of keyset-bound keys
    /// (``APIKeyKeyset/verifyingDirectory(_:_:)``).
    ///
    /// - Throws: ``TokenError`` `input_unreadable` or `invalid_value` for a bad hash list.
    init(_ arguments: ParsedArguments, _ console: Console) throws {
        verifier = APIKeyVerifier(hashes: try arguments.value("api-key-hashes").map(APIKeyHashList.load(path:)))
        keyset = APIKeyKeyset.verifyingDirectory(arguments, console).map(LazyKeyset.init)
    }

    /// A keyset loaded once, on first use (by whichever thread needs it first).
    private final class LazyKeyset: Sendable {
        let directory: String
        private let loaded = Locked<Result<Keyset, any Error>?>(nil)

        init(directory: String) { self.directory = directory }

        func get() throws -> Keyset {
            try loaded.withLock { loaded in
                if let loaded { return try loaded.get() }
                let result = Result { try Keyset.loadAPIKeySecrets(from: directory) }
                loaded = result
                return try result.get()
            }
        }
    }

    /// Verifies one API key.
    ///
    /// - Returns: the result, a rejection as a failure.
    /// - Throws: ``TokenError`` (exit 2) when there is nothing to check a well-formed key against.
    func verify(_ text: String) throws -> Result<APIKeyVerifier.Verified, TokenError> {
        var verifier = verifier
        // The keyset is loaded only for a well-formed keyset-bound key: the checksum comes first.
        if let keyset, let inspection = try? APIKey.inspect(text), inspection.problem == nil, inspection.kind == .keyset {
            verifier.secrets = try keyset.get()
        }
        do {
            return .success(try verifier.verify(text))
        } catch let error as TokenError where error.code.isRejection {
            return .failure(error)
        } catch let error as TokenError where error.code == .keyUnsuitable {
            let hint = (try? APIKey.inspect(text))?.kind == .keyset
                ? "pass --keyset DIR (the keyset that minted it; without a key option the default keyset is used) or --api-key-hashes FILE"
                : "pass --api-key-hashes FILE"
            throw TokenError(error.code, "\(error.reason): \(hint)")
        }
    }

    /// What verifies a line that is not shaped like an API key: the JWT verifier, or, when
    /// it could not be made (no JWT key given) in a run checking API keys against a hash
    /// list, a verifier that rejects the line as malformed (a mistyped key need not stop a
    /// batch of keys).
    ///
    /// - Throws: the error that kept the JWT verifier from being made, otherwise.
    func tokenVerifier(_ made: Result<TokenVerifier, any Error>) throws -> () throws -> TokenVerifier {
        switch made {
        case .success(let verifier):
            return { verifier }
        case .failure(let error):
            guard verifier.hashes != nil else { throw error }
            return { throw TokenError.malformed("not an API key (A-Z, a-z, 0-9 and '_' only), nor a JWT that can be checked without a key") }
        }
    }

    /// Prints one result: `valid`, or `invalid <code>: <message>` in batch mode, or the
    /// diagnostic for a single key; with `--json`, `{"valid", "kind", "prefix", "checks"}`
    /// (and `"secret_id"` for a keyset-bound key) or `{"valid": false, "error": {code, message}}`.
    static func report(_ result: Result<APIKeyVerifier.Verified, TokenError>, _ output: VerifyCommand.Output, _ console: Console) {
        let prefix = output.numbered ? output.line : nil
        switch result {
        case .success(let verified):
            if output.json {
                var object = JSONObject([
                    ("valid", .bool(true)), ("kind", .string(verified.key.kind.rawValue)),
                    ("prefix", .string(verified.key.prefix)),
                ])
                if let id = verified.key.secretID { object["secret_id"] = .string(id) }
                object["checks"] = .array(verified.checks.map { .string($0.rawValue) })
                object["line"] = .number(JSONNumber(output.line))
                console.stdout.write(CommonOptions.jsonLine(object))
            } else if !output.quiet {
                console.printResult("valid\n", line: prefix)
            }
        case .failure(let error):
            if output.json {
                let detail = JSONObject([("code", .string(error.code.id)), ("message", .string(error.reason))])
                console.stdout.write(CommonOptions.jsonLine(JSONObject([
                    ("valid", .bool(false)), ("error", .object(detail)), ("line", .number(JSONNumber(output.line))),
                ])))
            } else if output.quiet {
                return
            } else if output.batch {
                console.printResult("invalid \(error.code.id): \(UntrustedText.escaped(error.reason))\n", line: prefix)
            } else {
                console.error("verify", code: error.code.id, error.reason)
            }
        }
    }
}
