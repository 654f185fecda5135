import TokenKit

/// `tokenctl sign --api-key`: mints API keys, opaque or (with `--keyset DIR` or `--bound`)
/// keyset-bound, one a line, or one JSON object a line (`{"key", "kind", "prefix", "sha256"}`)
/// with `--json`.
enum APIKeySignCommand {
    /// The options that only make sense with `--api-key`.
    static let apiKeyOnlyOptions = ["prefix", "count", "bound"]
    /// The most keys one run mints.
    static let maxCount = 1_000_000
    /// Keys written per write to standard output.
    static let keysPerWrite = 1024

    /// Whether the command line asks for API keys (or gives an API-key-only option), so
    /// that `sign` hands over to ``run(_:_:)``.
    static func applies(_ arguments: ParsedArguments) -> Bool {
        arguments.has("api-key") || apiKeyOnlyOptions.contains(where: arguments.has)
    }

    static func run(_ arguments: ParsedArguments, _ console: Console) throws -> ExitStatus {
        guard arguments.has("api-key") else {
            let given = apiKeyOnlyOptions.first(where: arguments.has) ?? "prefix"
            throw UsageError("invalid_value", "'--\(given)' applies only to API keys: add --api-key")
        }
        if !arguments.positionals.isEmpty {
            throw UsageError.tooManyArguments(given: arguments.positionals.count, maximum: 0)
        }
        let prefix = arguments.value("prefix") ?? APIKey.defaultPrefix
        do {
            try APIKey.validatePrefix(prefix)
        } catch let error as TokenError {
            throw UsageError("invalid_value", "invalid value for '--prefix': \(error.reason)")
        }
        var count = 1
        if let text = arguments.value("count") {
            guard let value = Int(text), value >= 1, value <= maxCount else {
                throw UsageError.invalidValue(
                    option: "--count", value: text, reason: "give a number of keys from 1 to \(maxCount)")
            }
            count = value
        }
        let keyset = try APIKeyKeyset.forMinting(arguments, console, now: try CommonOptions.now(arguments))
        let json = arguments.has("json")
        var remaining = count
        while remaining > 0 {
            let batch = min(remaining, keysPerWrite)
            let keys = try keyset.map { try APIKey.mintBound(prefix: prefix, secrets: $0, count: batch) }
                ?? APIKey.mintOpaque(prefix: prefix, count: batch)
            var out = ""
            for key in keys {
                out += json ? CommonOptions.jsonLine(try jsonObject(key)) : key.text + "\n"
            }
            console.stdout.write(out)
            remaining -= batch
        }
        return .success
    }

    /// `{"key", "kind", "prefix", "sha256"}`.
    static func jsonObject(_ key: APIKey) throws -> JSONObject {
        JSONObject([
            ("key", .string(key.text)), ("kind", .string(key.kind.rawValue)), ("prefix", .string(key.prefix)),
            ("sha256", .string(try key.sha256Hex())),
        ])
    }
}
