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

    /// A release build after a source change (`make install` after a pull) builds every module
    /// with the new profile, so LTO links them: with the profile under one name, the modules
    /// that had not changed kept the older one, and the link failed ("linking module flags
    /// 'ProfileSummary': IDs have conflicting values"). Two release builds of a copy of the
    /// sources, about three minutes: run with `TOKENCTL_RELEASE_BUILD_TESTS=1`.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["TOKENCTL_RELEASE_BUILD_TESTS"] == "1"))
    func rebuildAfterASourceChangeLinks() throws {
        let copy = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: copy) }
        for item in ["Package.swift", "Sources", "Tests", "scripts"] {
            try FileManager.default.copyItem(
                at: Subprocess.repositoryRoot.appendingPathComponent(item), to: copy.appendingPathComponent(item))
        }
        var environment = ProcessInfo.processInfo.environment
        environment["TRAIN_N"] = "200"
        environment.removeValue(forKey: "TOKENCTL_KEYSET")
        func build() throws -> RunResult {
            try Subprocess.run("/bin/bash", ["scripts/build-release.sh"], environment: environment, directory: copy, timeout: 600)
        }
        let first = try build()
        try #require(first.status == 0, "\(first.stderr.suffix(2000))")
        let changed = copy.appendingPathComponent("Sources/TokenCLI/Color.swift")
        try (String(contentsOf: changed, encoding: .utf8) + "// changed\n").write(to: changed, atomically: true, encoding: .utf8)
        let second = try build()
        try #require(second.status == 0, "\(second.stderr.suffix(2000))")
        let version = try Subprocess.run(copy.appendingPathComponent(".build/release/tokenctl").path, ["--version"])
        #expect(version.status == 0 && version.stdout.hasPrefix("tokenctl "), "\(version)")
    }

    /// A binary that exits 0 whatever it is asked (`/bin/true`) passes no batch with rejects in it.
    @Test func aBinaryThatDoesNothingFailsTheTraining() throws {
        let result = try train(with: "/bin/true")
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("pgo-train: ") && result.stderr.contains("exited 0, expected 1"), "\(result)")
    }
}
