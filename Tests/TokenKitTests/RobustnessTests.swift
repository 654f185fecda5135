import Testing
@testable import TokenKit

/// Mutated and random tokens: every one is verified or rejected with a TokenError, never a
/// crash, a hang or a foreign error (the in-process counterpart of the end-to-end hostile cases).
@Suite("robustness")
struct RobustnessTests {
    typealias SplitMix = SplitMix64

    static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=+/ \"{}[]:,\\\u{00}é")

    func mutate(_ token: String, _ rng: inout SplitMix) -> String {
        var chars = Array(token)
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            guard !chars.isEmpty else { break }
            let index = Int.random(in: 0..<chars.count, using: &rng)
            switch Int.random(in: 0..<5, using: &rng) {
            case 0: chars[index] = Self.alphabet.randomElement(using: &rng)!
            case 1: chars.remove(at: index)
            case 2: chars.insert(Self.alphabet.randomElement(using: &rng)!, at: index)
            case 3: chars = Array(chars.prefix(index))
            default: chars.insert(".", at: index)
            }
        }
        return String(chars)
    }

    func jsonSegment(_ rng: inout SplitMix) -> String {
        let pieces = ["{", "}", "[", "]", "\"alg\"", ":", ",", "\"HS256\"", "\"none\"", "1e999", "-0", "null", "\"\\ud800\"",
                      "\"crit\"", "[\"b64\"]", "\"exp\"", "12345678901234567890", "true"]
        let text = (0..<Int.random(in: 1...12, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
        return Base64URL.encode(Array(text.utf8))
    }

    @Test("mutated tokens are verified or rejected with a TokenError")
    func mutations() throws {
        let key = try Key(hmacSecret: Array("a-very-long-hmac-secret-of-at-least-32-bytes!".utf8))
        let signer = try TokenSigner(key: key)
        let valid = try signer.sign(JSONObject([("sub", .string("a")), ("exp", .number(JSONNumber(1_900_000_000)))]))
        let verifier = TokenVerifier(
            signatureVerifier: try SignatureVerifier(keys: [key]), requirements: ClaimRequirements(now: 1_800_000_000))
        var rng = SplitMix(state: 0x70C3_C71)
        for round in 0..<3000 {
            let candidate: String
            if round % 3 == 0 {
                candidate = jsonSegment(&rng) + "." + jsonSegment(&rng) + "." + Base64URL.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) })
            } else {
                candidate = mutate(valid, &rng)
            }
            do {
                _ = try verifier.verify(candidate)
                #expect(candidate == valid, "a mutation was accepted: \(candidate)")
            } catch let error as TokenError {
                #expect(error.code.isRejection, "\(candidate): \(error)")
            }
            if let token = try? CompactToken(candidate) {
                let inspection = TokenInspection(token: token, now: 1_800_000_000)
                _ = inspection.sizeCheck
            }
        }
    }
}
