#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TokenKit

/// Options that several commands read the same way.
enum CommonOptions {
    /// `--now INSTANT`, else the system clock.
    static func now(_ arguments: ParsedArguments) throws -> Int64 {
        if let text = arguments.value("now") { return try Instant.parse(text) }
        return Instant.current()
    }

    /// `--max-token-bytes N`, else 256 KiB.
    static func maxTokenBytes(_ arguments: ParsedArguments) throws -> Int {
        guard let text = arguments.value("max-token-bytes") else { return CompactToken.defaultMaxBytes }
        guard let value = SizeBudget.byteCount(text), value <= 64 << 20 else {
            throw TokenError.invalidValue("--max-token-bytes must be a number of bytes between 1 and 64m (like 262144 or 512k)")
        }
        return value
    }

    /// `--claims`/`--revoked`-style file values: `@FILE` or `-` (stdin) or inline text.
    static func readArgumentData(_ value: String, _ console: Console, what: String) throws -> [UInt8] {
        if value == "-" { return try console.stdin.readAll(maxBytes: FileAccess.defaultMaxBytes) }
        if value.hasPrefix("@") { return try FileAccess.read(String(value.dropFirst()), what: what) }
        return Array(value.utf8)
    }

    /// A JSON document for `--json` output, one line.
    static func jsonLine(_ object: JSONObject) -> String { object.serialized + "\n" }

    /// Writes ``jsonLine(_:)`` to `output`, serialized straight into its buffer.
    static func writeJSONLine(_ object: JSONObject, to output: TextOutput) {
        output.write { out in
            JSONValue.object(object).serialize(to: &out)
            out.append(UInt8(ascii: "\n"))
        }
    }
}
