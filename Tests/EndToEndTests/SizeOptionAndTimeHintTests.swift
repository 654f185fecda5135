import Foundation
import Testing

/// Byte-count options read as `--budget` reads them, and a NumericDate in milliseconds is
/// named as such. Found in the QA pass; each test failed before its fix.
@Suite("byte counts and NumericDate hints")
struct SizeOptionAndTimeHintTests {
    static let key = Tokenctl.fixture("keys/p256.pem")

    @Test("--max-bytes and --max-token-bytes take 4k and 512k as --budget does; zero and junk are usage errors")
    func byteCountSuffixes() throws {
        let signed = try Tokenctl.run(["sign", "--key", Self.key, "--sub", "a", "--max-bytes", "4k"])
        #expect(signed.status == 0, "\(signed)")
        let small = try Tokenctl.run(["sign", "--key", Self.key, "--sub", "a", "--max-bytes", "100"])
        #expect(small.status == 1 && small.stderr.contains("error[over_budget]"), "\(small)")
        let verified = try Tokenctl.run(["decode", "--max-token-bytes", "1k", signed.output])
        #expect(verified.status == 0, "\(verified)")
        let tooSmall = try Tokenctl.run(["decode", "--max-token-bytes", "100", signed.output])
        #expect(tooSmall.status == 1 && tooSmall.stderr.contains("error[malformed]"), "\(tooSmall)")
        for bad in ["0", "4x", "-4k", "1.5k"] {
            let result = try Tokenctl.run(["sign", "--key", Self.key, "--sub", "a", "--max-bytes", bad])
            #expect(result.status == 2 && result.stderr.contains("error[invalid_value]"), "\(bad): \(result)")
        }
    }

    @Test("an exp in milliseconds is refused with a hint that names milliseconds")
    func millisecondsHint() throws {
        let result = try Tokenctl.run(["sign", "--key", Self.key, "--sub", "a", "--claims", "{\"exp\": 1800000000000}"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("error[invalid_claim]") && result.stderr.contains("looks like milliseconds"), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
    }
}

@Suite("lifetime findings in words")
struct LifetimeFindingWordsTests {
    @Test("a lifetime finding says how long in words (30 days, 3 years), not in weeks and days")
    func lifetimeInWords() throws {
        let month = try Tokenctl.run(["inspect-size", "--claims", "{\"sub\":\"a\",\"iat\":1800000000,\"exp\":1802592000}"])
        #expect(month.stdout.contains("exp is 30 days after iat (limit 1d)"), "\(month)")
        let years = try Tokenctl.run(["inspect-size", "--claims", "{\"sub\":\"a\",\"iat\":1800000000,\"exp\":1900000000}"])
        #expect(years.stdout.contains("exp is 3 years after iat (limit 1d)"), "\(years)")
        let justOver = try Tokenctl.run(["inspect-size", "--claims", "{\"sub\":\"a\",\"iat\":1800000000,\"exp\":1800086401}"])
        #expect(justOver.stdout.contains("exp is 86401 seconds after iat (limit 1d)"), "\(justOver)")
    }
}
