import Foundation
import Testing

/// issue-7 (high): a keyset directory and its private file must be the caller's and closed to
/// group and others, never reached through a symbolic link; new keysets are 0700/0600/0644
/// whatever the umask.
@Suite("issue-7 keyset ownership")
struct Issue7KeysetOwnershipTests {
    static let now = "1800000000"

    /// A new keyset made by `sign` in a fresh temporary directory.
    func makeKeyset() throws -> String {
        let keyset = try Tokenctl.temporaryDirectory().appendingPathComponent("keyset").path
        let result = try Tokenctl.run(["sign", "--sub", "x", "--now", Self.now], environment: ["TOKENCTL_KEYSET": keyset])
        #expect(result.status == 0, "\(result)")
        return keyset
    }

    func expectRefused(_ result: RunResult, fix: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains("error[insecure_keyset]"), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.contains(fix), "\(result)", sourceLocation: sourceLocation)
        #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
    }

    @Test("issue-7: a 0777 TOKENCTL_KEYSET directory is refused with the chmod that fixes it, and left untouched")
    func worldWritableDirectory() throws {
        let shared = try Tokenctl.temporaryDirectory().appendingPathComponent("shared_ks").path
        try FileManager.default.createDirectory(atPath: shared, withIntermediateDirectories: false)
        chmod(shared, 0o777)
        let signed = try Tokenctl.run(["sign", "--sub", "x"], environment: ["TOKENCTL_KEYSET": shared])
        expectRefused(signed, fix: "fix it with: chmod 700 \(shared)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shared).isEmpty)
        #expect(KeysetFiles.mode(shared) == 0o777)
        expectRefused(try Tokenctl.run(["rotate-keys", "--keyset", shared]), fix: "chmod 700 \(shared)")

        // After the fix, the same directory works.
        chmod(shared, 0o700)
        #expect(try Tokenctl.run(["sign", "--sub", "x"], environment: ["TOKENCTL_KEYSET": shared]).status == 0)
    }

    @Test("issue-7: a keyset with a group-readable directory or a 0644 keys.json is refused by sign, verify and rotate-keys")
    func openPrivateFile() throws {
        let keyset = try makeKeyset()
        let token = try Tokenctl.run(["sign", "--keyset", keyset, "--now", Self.now]).output
        let privateFile = keyset + "/keys.json"
        chmod(privateFile, 0o644)
        expectRefused(try Tokenctl.run(["sign", "--keyset", keyset]), fix: "fix it with: chmod 600 \(privateFile)")
        expectRefused(
            try Tokenctl.run(["verify", "--now", Self.now, token], environment: ["TOKENCTL_KEYSET": keyset]),
            fix: "chmod 600 \(privateFile)")
        expectRefused(try Tokenctl.run(["rotate-keys", "--keyset", keyset]), fix: "chmod 600 \(privateFile)")
        chmod(privateFile, 0o600)
        chmod(keyset, 0o750)
        expectRefused(try Tokenctl.run(["sign", "--keyset", keyset]), fix: "chmod 700 \(keyset)")
        chmod(keyset, 0o700)
        #expect(try Tokenctl.run(["verify", "--keyset", keyset, "--now", Self.now, token]).status == 0)
    }

    @Test("issue-7: a symlinked keyset directory or keys.json is refused, naming the real directory")
    func symbolicLinks() throws {
        let keyset = try makeKeyset()
        let link = try Tokenctl.temporaryDirectory().appendingPathComponent("link").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: keyset)
        let viaLink = try Tokenctl.run(["sign", "--sub", "x"], environment: ["TOKENCTL_KEYSET": link])
        expectRefused(viaLink, fix: "pass the real directory ('\(keyset)')")
        #expect(viaLink.stderr.contains("is a symbolic link"))
        expectRefused(try Tokenctl.run(["rotate-keys", "--keyset", link]), fix: "symbolic link")

        // A symlink to a directory that does not exist yet is not followed to create one.
        let dangling = try Tokenctl.temporaryDirectory().appendingPathComponent("dangling").path
        let target = dangling + "-target"
        try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: target)
        expectRefused(try Tokenctl.run(["sign", "--sub", "x"], environment: ["TOKENCTL_KEYSET": dangling]), fix: "symbolic link")
        #expect(!FileManager.default.fileExists(atPath: target))

        // keys.json itself a symlink to another file (for example one an attacker controls).
        let other = try makeKeyset()
        let privateFile = keyset + "/keys.json"
        try FileManager.default.removeItem(atPath: privateFile)
        try FileManager.default.createSymbolicLink(atPath: privateFile, withDestinationPath: other + "/keys.json")
        let linkedFile = try Tokenctl.run(["sign", "--keyset", keyset])
        expectRefused(linkedFile, fix: "replace it with the file itself")
    }

    @Test("issue-7: a keyset directory or keys.json owned by another user is refused with the chown that fixes it")
    func otherOwner() throws {
        guard geteuid() == 0 else { return }  // only root can hand a file to another user
        let keyset = try makeKeyset()
        let privateFile = keyset + "/keys.json"
        chown(privateFile, 65534, 65534)
        let fileRefused = try Tokenctl.run(["sign", "--keyset", keyset])
        expectRefused(fileRefused, fix: "chown root \(privateFile)")
        #expect(fileRefused.stderr.contains("belongs to uid 65534"))
        chown(privateFile, 0, 0)
        chown(keyset, 65534, 65534)
        expectRefused(try Tokenctl.run(["verify", "--keyset", keyset, "x.y.z"]), fix: "chown root \(keyset)")
        expectRefused(try Tokenctl.run(["rotate-keys", "--keyset", keyset]), fix: "chown root \(keyset)")
    }

    @Test("issue-7: under umask 000 a new keyset is still 0700, keys.json 0600 and jwks.json 0644")
    func umaskIgnored() throws {
        let base = try Tokenctl.temporaryDirectory().path
        let signed = try KeysetFiles.runWithOpenUmask(["sign", "--sub", "x"], environment: ["TOKENCTL_KEYSET": base + "/signed"])
        #expect(signed.status == 0, "\(signed.stderr)")
        let rotated = try KeysetFiles.runWithOpenUmask(["rotate-keys", "--keyset", base + "/rotated"])
        #expect(rotated.status == 0, "\(rotated.stderr)")
        for keyset in [base + "/signed", base + "/rotated"] {
            #expect(KeysetFiles.mode(keyset) == 0o700, "\(keyset)")
            #expect(KeysetFiles.mode(keyset + "/keys.json") == 0o600, "\(keyset)")
            #expect(KeysetFiles.mode(keyset + "/jwks.json") == 0o644, "\(keyset)")
        }
    }

    @Test("issue-7: an empty 0755 directory of yours becomes a 0700 keyset; a non-empty one is refused")
    func emptyDirectoryAdopted() throws {
        let base = try Tokenctl.temporaryDirectory().path
        let empty = base + "/empty"
        try FileManager.default.createDirectory(atPath: empty, withIntermediateDirectories: false)
        chmod(empty, 0o755)
        let created = try Tokenctl.run(["rotate-keys", "--keyset", empty])
        #expect(created.status == 0 && created.stdout.hasPrefix("created keyset"), "\(created)")
        #expect(KeysetFiles.mode(empty) == 0o700)

        let busy = base + "/busy"
        try FileManager.default.createDirectory(atPath: busy, withIntermediateDirectories: false)
        chmod(busy, 0o755)
        #expect(FileManager.default.createFile(atPath: busy + "/notes.txt", contents: Data("x".utf8)))
        expectRefused(try Tokenctl.run(["sign"], environment: ["TOKENCTL_KEYSET": busy]), fix: "chmod 700 \(busy)")
        #expect(KeysetFiles.mode(busy) == 0o755)
    }

    @Test("issue-7: a verifier's public-only keyset (jwks.json alone) keeps working, unless others can write it")
    func publicOnly() throws {
        let keyset = try makeKeyset()
        let token = try Tokenctl.run(["sign", "--keyset", keyset, "--now", Self.now]).output
        let published = try Tokenctl.temporaryDirectory().appendingPathComponent("public").path
        try FileManager.default.createDirectory(atPath: published, withIntermediateDirectories: false)
        chmod(published, 0o755)
        try FileManager.default.copyItem(atPath: keyset + "/jwks.json", toPath: published + "/jwks.json")
        chmod(published + "/jwks.json", 0o644)
        let verified = try Tokenctl.run(["verify", "--keyset", published, "--now", Self.now, token])
        #expect(verified.status == 0, "\(verified)")
        chmod(published + "/jwks.json", 0o666)
        expectRefused(
            try Tokenctl.run(["verify", "--keyset", published, "--now", Self.now, token]),
            fix: "chmod go-w \(published)/jwks.json")
    }
}
