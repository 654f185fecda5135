import Testing
import TokenKit

/// Every case of Wycheproof's `json_web_signature_test.json` (401 cases).
///
/// Policy: a `valid` case must verify (signature only); an `invalid` case must be rejected
/// by some ``TokenError`` from the key set, the token or the signature check, and the code
/// is recorded and pinned in ``expectedRejections``. Exceptions are listed by tcId with
/// their reason: the JSON serialization (out of scope) and the file's own defects.
@Suite("Wycheproof JWS vectors")
struct WycheproofJWSTests {
    static let fileName = "json_web_signature_test.json"

    /// JWS JSON serialization (RFC 7515 §7.2): out of scope, tokenctl handles the compact
    /// serialization only. Fed as compact text, each must be rejected as malformed.
    static let outOfScope: [Int: String] = [
        17: "JSON serialization (rejectsValidJsonSerialization): tokenctl reads compact JWS only",
    ]

    /// Cases whose expected result in the file is wrong, with the outcome TokenKit must give
    /// instead. (Other JOSE test suites that run these vectors skip the same cases.)
    static let fileDefects: [Int: (expected: VerificationOutcome, reason: String)] = [
        346: (.rejected(.algorithmNotAllowed), """
            RFC 7520 Figure 20 is PS384, but the file's key says "alg": "PS256"; a JWK's alg pins \
            the key to that algorithm (RFC 7517 §4.4, RFC 8725 §3.1). Without the alg the signature verifies.
            """),
        350: (.rejected(.algorithmNotAllowed), "as 346, with key_ops [\"verify\"]"),
        347: (.rejected(.malformedKey), """
            the file's P-521 key says "alg": "ES521", which is not a JWS algorithm (RFC 7518 §3.1 \
            names ES512); the key is refused. Without the alg the Figure 27 signature verifies.
            """),
        351: (.rejected(.malformedKey), "as 347, with key_ops [\"verify\"]"),
        367: (.verified(.hs256), "invalidBase64Padding: the token is tcId 357's (valid) byte for byte"),
        370: (.verified(.hs256), "invalidBase64PaddingInPayload: the token is tcId 357's (valid) byte for byte"),
        372: (.rejected(.malformed), """
            InvalidCharacterInsertedInHeader is marked valid, but '?' is not in the base64url \
            alphabet (RFC 7515 §2, RFC 4648 §5); strict decoding refuses it
            """),
        373: (.rejected(.malformed), "InvalidCharacterInsertedInPayload: as 372, in the payload"),
    ]

    /// Rejection codes pinned for the attacks the vectors exist for (json_web_crypto.md).
    static let pinnedRejections: [Int: TokenError.Code] = [
        8: .keyNotFound,  // modified header: the kid no longer names a key
        16: .algorithmNotAllowed,  // alg none with the HMAC key given
        31: .algorithmNotAllowed,  // HS256 over the EC public key's bytes (symmetric/asymmetric confusion)
        32: .signatureInvalid,  // attacker's key embedded as a jwk header: never used
        // A key marked for encryption never verifies: the verifier refuses it when it is made.
        353: .keyUnsuitable, 354: .keyUnsuitable,  // "use": "enc"
        355: .keyUnsuitable, 356: .keyUnsuitable,  // key_ops without "verify"
    ]

    /// How many invalid cases each code rejects; a change here means a check moved.
    static let expectedRejectionCounts: [String: Int] = [
        "signature_invalid": 299, "malformed": 35, "algorithm_not_allowed": 11, "key_not_found": 3,
        "key_unsuitable": 4,
    ]

    /// The code a flagged invalid case must be rejected with, when the flag decides it.
    static func expectedCode(for testCase: WycheproofCase) -> TokenError.Code? {
        if let code = pinnedRejections[testCase.tcId] { return code }
        let flags = Set(testCase.flags)
        if !flags.isDisjoint(with: ["ModifiedPadding", "ModifiedSignature"]) { return .signatureInvalid }
        if flags.contains("AlgIsNone") { return .algorithmNotAllowed }
        if flags.contains("WrongPrimitive") {
            // The key pins its alg: a header naming another algorithm is refused before any
            // signature check; a header naming the key's alg over another primitive's signature fails it.
            let header = (try? CompactToken(testCase.jws.stringValue ?? ""))?.algorithmName
            let keyAlg = testCase.keyJSON.objectValue?["alg"]?.stringValue
            return header == keyAlg ? .signatureInvalid : .algorithmNotAllowed
        }
        return nil
    }

    @Test("every case: valid verifies, invalid is rejected, exceptions listed by tcId")
    func everyCase() throws {
        let cases = try Wycheproof.cases(Self.fileName)
        try #require(cases.count == 401)
        var tally = Tally()
        for testCase in cases {
            let outcome = testCase.jws.stringValue.map { VerificationOutcome.of(jws: $0, keyJSON: testCase.keyJSON) }
            if let reason = Self.outOfScope[testCase.tcId] {
                #expect(testCase.isJSONSerialization, "\(testCase): listed out of scope but is compact")
                #expect(outcome == .rejected(.malformed), "\(testCase): \(reason); fed as compact text it must be rejected, got \(outcome.map(String.init(describing:)) ?? "no text")")
                tally.outOfScope += 1
                continue
            }
            #expect(!testCase.isJSONSerialization, "\(testCase): JSON serialization not listed in outOfScope")
            guard let outcome else { continue }
            if let defect = Self.fileDefects[testCase.tcId] {
                #expect(outcome == defect.expected, "\(testCase): file says \(testCase.result); \(defect.reason); expected \(defect.expected), got \(outcome)")
                tally.defects += 1
                continue
            }
            switch testCase.result {
            case .valid:
                #expect(!outcome.isRejected, "\(testCase): valid, expected to verify, got \(outcome)")
                if !outcome.isRejected { tally.validVerified += 1 }
            case .invalid:
                #expect(outcome.isRejected, "\(testCase): invalid, expected a rejection, got \(outcome)")
                if case .rejected(let code) = outcome {
                    tally.invalidRejected += 1
                    tally.codes[code.id, default: 0] += 1
                    if let expected = Self.expectedCode(for: testCase) {
                        #expect(code == expected, "\(testCase) \(testCase.flags): expected \(expected), got \(code)")
                    }
                }
            case .acceptable:
                Issue.record("\(testCase): 'acceptable' has no policy here; decide one")
            }
        }
        print("Wycheproof JWS: \(tally)")
        #expect(tally.validVerified == 40)
        #expect(tally.invalidRejected == 352)
        #expect(tally.outOfScope == Self.outOfScope.count)
        #expect(tally.defects == Self.fileDefects.count)
        #expect(tally.validVerified + tally.invalidRejected + tally.outOfScope + tally.defects == cases.count)
        #expect(tally.codes == Self.expectedRejectionCounts, "rejection codes moved: \(tally.codes)")
    }

    @Test("the file defects are the file's: each signature is good once the defect is undone")
    func defectsAreTheFiles() throws {
        let cases = Dictionary(uniqueKeysWithValues: try Wycheproof.cases(Self.fileName).map { ($0.tcId, $0) })
        // 346/350 (PS256 key, PS384 token) and 347/351 (alg "ES521"): drop the key's alg.
        for tcId in [346, 347, 350, 351] {
            let testCase = try #require(cases[tcId])
            var jwk = try #require(testCase.keyJSON.objectValue)
            #expect(jwk["alg"] != nil, "tcId \(tcId): the key has an alg")
            jwk["alg"] = nil
            let jws = try #require(testCase.jws.stringValue)
            #expect(VerificationOutcome.of(jws: jws, keyJSON: .object(jwk)).isRejected == false, "tcId \(tcId): without alg")
        }
        // 367/370 are tcId 357's token; 372/373 are it with one '?' inserted.
        let valid = try #require(cases[357]?.jws.stringValue)
        #expect(cases[367]?.jws.stringValue == valid, "tcId 367")
        #expect(cases[370]?.jws.stringValue == valid, "tcId 370")
        for tcId in [372, 373] {
            let jws = try #require(cases[tcId]?.jws.stringValue)
            #expect(jws.filter { $0 != "?" } == valid, "tcId \(tcId) is 357 plus '?'")
        }
    }
}

/// Counts of a vector run, for the assertions and the report.
struct Tally: CustomStringConvertible {
    var validVerified = 0
    var invalidRejected = 0
    var outOfScope = 0
    var defects = 0
    var codes: [String: Int] = [:]

    var description: String {
        let codeList = codes.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "\(validVerified) valid verified, \(invalidRejected) invalid rejected [\(codeList)], "
            + "\(outOfScope) out of scope, \(defects) file defects"
    }
}
