import Foundation
import Testing

/// Issue 13: what the libFuzzer targets (Fuzz/) found, through the binary. Each input is the
/// minimised reproducer, also kept in the target's seed corpus (Fuzz/Corpus/<target>/regression-*).
@Suite("issue 13: fuzz regressions (end to end)")
struct Issue13FuzzRegressionTests {
    @Test("fuzz http: a chunk size with a sign (-5, +5) or near Int.max is a fetch failure, not a crash")
    func chunkSizeLine() throws {
        let bed = try JWKSTestBed.shared.get()
        let cases = [("-5", "malformed chunked body"), ("+5", "malformed chunked body"), ("7fffffffffffffff", "larger than 1024 KiB")]
        for (size, cause) in cases {
            let url = bed.url("good", "/bad-chunk/\(size)")
            let result = try Tokenctl.run(["verify", "--cacert", bed.caFile, "--jwks", url, bed.tokenA])
            expectFetchFailure(result, url: url, cause: cause)
        }
    }

    @Test("http: a Content-Length with a sign (+N) is a fetch failure; the same body with N verifies")
    func signedContentLength() throws {
        let bed = try JWKSTestBed.shared.get()
        let url = bed.url("good", "/plus-length/")
        let result = try Tokenctl.run(["verify", "--cacert", bed.caFile, "--jwks", url, bed.tokenA])
        expectFetchFailure(result, url: url, cause: "bad Content-Length '+")
        let plain = try Tokenctl.run(["verify", "--cacert", bed.caFile, "--jwks", bed.url("good", "/jwks.json"), bed.tokenA])
        #expect(plain.status == 0, "\(plain)")
    }
}
