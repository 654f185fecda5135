import TokenKit

/// Turns `verify`'s remote-key options into a ``RemoteKeySet``: `--jwks URL|FILE` or
/// `--issuer-url URL`, with `--cacert`, `--timeout`, `--jwks-cache` and the proxy variables.
enum JWKSOptions {
    /// Options that only mean something with `--jwks` or `--issuer-url`.
    static let fetchOptions = ["cacert", "timeout", "jwks-cache"]

    /// The key set named by `--jwks` or `--issuer-url`, loaded (from the cache or by fetching),
    /// or `nil` when neither is given. Notes (a stale cache used) are printed as warnings.
    static func keySet(_ arguments: ParsedArguments, _ console: Console, now: Int64) throws -> RemoteKeySet? {
        guard let source = try RemoteKeySet.source(jwks: arguments.value("jwks"), issuerURL: arguments.value("issuer-url"))
        else {
            if let option = fetchOptions.first(where: arguments.has) {
                throw UsageError("missing_argument", "--\(option) needs --jwks or --issuer-url")
            }
            return nil
        }
        var options = FetchOptions(caFile: arguments.value("cacert"), environment: console.environment)
        if let text = arguments.value("timeout") {
            let seconds = try TokenDuration.parse(text)
            guard seconds >= 1, seconds <= 600 else {
                throw TokenError.invalidValue("--timeout must be between 1s and 10m")
            }
            options.timeout = seconds
        }
        let keySet: RemoteKeySet
        do {
            keySet = try RemoteKeySet(source: source, options: options, cacheDirectory: arguments.value("jwks-cache"), now: now)
        } catch let error as TokenError where error.code == .fetchFailed {
            throw TokenError(error.code, error.reason + hint(for: error.reason, arguments))
        }
        printNotes(keySet, console)
        return keySet
    }

    /// What to do about a fetch failure, when the option that helps is clear.
    private static func hint(for reason: String, _ arguments: ParsedArguments) -> String {
        if reason.contains("unable to get local issuer certificate") || reason.contains("self-signed certificate") {
            return arguments.has("cacert") ? "" : " (for a private CA, pass its certificate with --cacert FILE)"
        }
        if reason.contains("timed out after") { return " (allow longer with --timeout)" }
        return ""
    }

    /// Prints the key set's pending notes (stale cache used, refresh failed) as warnings.
    static func printNotes(_ keySet: RemoteKeySet?, _ console: Console) {
        for note in keySet?.takeNotes() ?? [] { console.warn("verify", note) }
    }
}
