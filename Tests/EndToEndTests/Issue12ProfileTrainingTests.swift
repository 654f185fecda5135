import Foundation
import Testing

/// `scripts/pgo-train.sh`, the training run of the profile-guided release build: every
/// command in it must still parse and exit as it expects, or `make install` stops (or worse,
/// teaches the compiler the paths of a usage error). Run here on the tested binary and a tiny input.
@Suite struct Issue12ProfileTrainingTests {
    private func train(with binary: String) throws -> RunResult {
        let script = Subprocess.repositoryRoot.appendingPathComponent("scripts/pgo-train.sh").path
        var environment = ProcessInfo.processInfo.environment
        environment["TRAIN_N"] = "40"
        environment.removeValue(forKey: "TOKENCTL_KEYSET")
        return try Subprocess.run("/bin/bash", [script, binary], environment: environment, timeout: 120)
    }

    @Test func trainingRunsEveryCommandToItsExpectedStatus() throws {
        let result = try train(with: Tokenctl.binary.path)
        #expect(result.status == 0, "\(result)")
        #expect(result.stderr.isEmpty, "\(result)")
    }

    /// A binary that exits 0 whatever it is asked (`/bin/true`) passes no batch with rejects in it.
    @Test func aBinaryThatDoesNothingFailsTheTraining() throws {
        let result = try train(with: "/bin/true")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("pgo-train: ") && result.stderr.contains("exited 0, expected 1"), "\(result)")
    }
}
