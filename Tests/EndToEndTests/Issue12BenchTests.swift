import Foundation
import Testing

/// `make bench` (scripts/bench.sh) runs end to end on a tiny input and prints every figure
/// with its ratio. No time is asserted: only that each measurement ran and its results were right.
@Suite struct Issue12BenchTests {
    @Test func benchmarkRunsOnATinyInput() throws {
        for tool in ["bash", "openssl", "time"] where Subprocess.which(tool) == nil && !FileManager.default.fileExists(atPath: "/usr/bin/\(tool)") {
            if Subprocess.isCI { Issue.record("\(tool) is needed for scripts/bench.sh") }
            return
        }
        let script = Subprocess.repositoryRoot.appendingPathComponent("scripts/bench.sh").path
        var environment = ProcessInfo.processInfo.environment
        environment["BIN"] = Tokenctl.binary.path
        environment["N"] = "6"
        environment["RUNS"] = "1"
        environment["SKIP_SPEED"] = "1"  // openssl speed needs SIGALRM, which the test runner's children have blocked
        environment["PEERS_BIN"] = "/nonexistent"
        let result = try Subprocess.run("/bin/bash", [script], environment: environment, timeout: 120)
        #expect(result.status == 0, "\(result)")
        // N ES256 tokens; the HS256 batches (verify, decode, inspect-size) take HS256_N, by default 5 × N.
        for (figure, tokens) in [
            ("verify --json HS256 --aud", 30), ("verify (text) HS256 --aud", 30), ("verify --json ES256 --aud", 6),
            ("verify (text) ES256 --aud", 6), ("decode --json", 30), ("inspect-size --format json", 30),
        ] {
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(figure) }
            #expect(line?.contains("(\(tokens)/\(tokens) results ok)") == true, "\(figure): \(result)")
            #expect(line?.contains(" tokens/s ") == true, "\(figure) has no rate: \(result)")
        }
        for figure in ["sign-HS256", "sign-ES256", "verify-ES256"] {
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("\(figure) ") }
            #expect(line?.hasSuffix("x)") == true, "\(figure) has no ratio: \(result)")
        }
    }
}
