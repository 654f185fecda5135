import Foundation
import Testing
import TokenKit

/// Reads the test vectors copied under `Vectors/` (never `../shared`: a clone has none).
enum VectorFiles {
    /// The bytes of `Vectors/<folder>/<name>`.
    static func bytes(_ name: String, in folder: String) throws -> [UInt8] {
        let url = try #require(
            Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Vectors/\(folder)"),
            "missing vector file \(folder)/\(name)")
        return Array(try Data(contentsOf: url))
    }

    /// The JSON object in `Vectors/<folder>/<name>`, parsed with TokenKit's own parser.
    static func object(_ name: String, in folder: String) throws -> JSONObject {
        try #require(try JSONParser.parse(bytes(name, in: folder)).objectValue, "\(folder)/\(name) is not an object")
    }
}

/// One Wycheproof JSON Web Crypto test case (schemas `json_web_signature_schema_v1` and
/// `json_web_key_schema_v1`) with its group's key material.
struct WycheproofCase: Sendable, CustomStringConvertible {
    /// The expected result.
    enum Expectation: String, Sendable {
        case valid, invalid, acceptable
    }

    let tcId: Int
    let comment: String
    let result: Expectation
    let flags: [String]
    /// The `jws` member: a string (compact, or JSON serialization as text) or an object.
    let jws: JSONValue
    /// The group's comment, such as "rs256" or "jws_duplicate_kid".
    let groupComment: String
    /// The group's `public` JWK or JWKS, or `private` when it has no `public`.
    let keyJSON: JSONValue

    var description: String { "tcId \(tcId) (\(groupComment)/\(comment))" }

    /// Whether the case uses the JWS JSON serialization (RFC 7515 §7.2), which tokenctl does not read.
    var isJSONSerialization: Bool {
        if flags.contains("JsonSerialization") { return true }
        guard let text = jws.stringValue else { return true }
        return text.first == "{"
    }
}

/// The generic loader: every case of a Wycheproof JSON Web Crypto file, in file order.
enum Wycheproof {
    /// Loads `Vectors/wycheproof/<name>` and checks its declared `numberOfTests`.
    static func cases(_ name: String) throws -> [WycheproofCase] {
        let file = try VectorFiles.object(name, in: "wycheproof")
        let groups = try #require(file["testGroups"]?.arrayValue, "\(name): no testGroups")
        var cases: [WycheproofCase] = []
        for group in groups.compactMap(\.objectValue) {
            let groupComment = group["comment"]?.stringValue ?? "?"
            let keyJSON = try #require(group["public"] ?? group["private"], "\(name) group \(groupComment): no key")
            for test in try #require(group["tests"]?.arrayValue, "group \(groupComment): no tests") {
                let test = try #require(test.objectValue)
                let tcId = try #require(test["tcId"]?.numberValue?.int64Value, "a test without tcId")
                let result = try #require(
                    test["result"]?.stringValue.flatMap(WycheproofCase.Expectation.init(rawValue:)),
                    "tcId \(tcId): unknown result")
                cases.append(WycheproofCase(
                    tcId: Int(tcId), comment: test["comment"]?.stringValue ?? "", result: result,
                    flags: test["flags"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                    jws: try #require(test["jws"], "tcId \(tcId): no jws"),
                    groupComment: groupComment, keyJSON: keyJSON))
            }
        }
        let declared = file["numberOfTests"]?.numberValue?.int64Value
        #expect(declared == Int64(cases.count), "\(name) declares \(declared ?? -1) tests, has \(cases.count)")
        #expect(Set(cases.map(\.tcId)).count == cases.count, "\(name): duplicate tcId")
        return cases
    }
}

/// What TokenKit made of a JWS and a key set.
enum VerificationOutcome: Equatable, CustomStringConvertible {
    /// The signature verified with this algorithm.
    case verified(Algorithm)
    /// A ``TokenError`` rejected it (from the key set, the token or the signature check).
    case rejected(TokenError.Code)

    var description: String {
        switch self {
        case .verified(let algorithm): return "verified (\(algorithm))"
        case .rejected(let code): return "rejected (\(code))"
        }
    }

    /// Whether the outcome is a rejection.
    var isRejected: Bool {
        if case .rejected = self { return true }
        return false
    }

    /// Verifies the compact `jws` against the keys in `keyJSON` (a JWK or JWKS), as the CLI's
    /// `verify --key` does: `KeySource`, then `SignatureVerifier`, then `CompactToken`.
    /// Signature only: Wycheproof payloads are not JWT claim sets.
    static func of(jws: String, keyJSON: JSONValue) -> VerificationOutcome {
        do {
            let keys = try KeySource.keys(from: keyJSON.serializedBytes)
            let verifier = try SignatureVerifier(keys: keys)
            let token = try CompactToken(jws)
            return .verified(try verifier.verify(token).algorithm)
        } catch let error as TokenError {
            return .rejected(error.code)
        } catch {
            Issue.record("a non-TokenError escaped: \(error)")
            return .rejected(TokenError.Code.backendFailure)
        }
    }
}
