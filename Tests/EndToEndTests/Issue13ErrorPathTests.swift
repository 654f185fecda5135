import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 13, item 2: the error paths of every command: files that are directories, FIFOs,
/// missing or unreadable; empty input; invalid UTF-8; CRLF lines; a closed stdout; a full disk.
@Suite("issue 13: error paths")
struct Issue13ErrorPathTests {
    static let now = "1800000000"
    static let secret = Tokenctl.fixture("keys/hs256.secret")

    /// Each option that names a file, as a command line taking the file's path last.
    static func fileOptions(_ path: String) -> [[String]] {
        [
            ["verify", "--now", now, "--key", path, "a.b.c"],
            ["verify", "--now", now, "--secret-file", path, "a.b.c"],
            ["verify", "--now", now, "--secret-file", secret, "--revoked", path, "a.b.c"],
            ["verify", "--now", now, "--api-key-hashes", path, "tok_x"],
            ["verify", "--now", now, "--jwks", path, "a.b.c"],
            ["sign", "--now", now, "--key", path],
            ["sign", "--now", now, "--secret-file", path],
            ["inspect-size", "--policy", path, "a.b.c"],
        ]
    }

    func expectOneError(_ result: RunResult, _ arguments: [String], code: String = "input_unreadable", phrase: String,
                        sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(result.status == 2, "\(arguments): \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("tokenctl: \(arguments[0]): error[\(code)]: "), "\(arguments): \(result)", sourceLocation: sourceLocation)
        #expect(phrase.isEmpty || result.stderr.contains(phrase), "\(arguments): \(result)", sourceLocation: sourceLocation)
        #expect(result.stderr.split(separator: "\n").count == 1, "\(arguments): \(result)", sourceLocation: sourceLocation)
    }

    @Test("a FIFO given as a file is refused at once by every file option (no hang)")
    func fifo() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let path = work.appendingPathComponent("fifo").path
        #expect(mkfifo(path, 0o600) == 0)
        for arguments in Self.fileOptions(path) {
            expectOneError(try Tokenctl.run(arguments, timeout: 10), arguments, phrase: "named pipe (FIFO)")
        }
    }

    @Test("a directory given as a file is refused by every file option")
    func directory() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        for arguments in Self.fileOptions(work.path) {
            expectOneError(try Tokenctl.run(arguments), arguments, phrase: "directory")
        }
    }

    @Test("a missing or unreachable file is refused by every file option")
    func missing() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let file = work.appendingPathComponent("file").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: file))
        for path in [work.appendingPathComponent("missing").path, file + "/below"] {
            for arguments in Self.fileOptions(path) {
                expectOneError(try Tokenctl.run(arguments), arguments, phrase: "")
            }
        }
    }

    @Test("a file without read permission is refused by every file option",
          .enabled(if: getuid() != 0, "root reads files whatever their mode"))
    func unreadable() throws {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let path = work.appendingPathComponent("locked").path
        try Data("x".utf8).write(to: URL(fileURLWithPath: path))
        #expect(chmod(path, 0) == 0)
        for arguments in Self.fileOptions(path) {
            expectOneError(try Tokenctl.run(arguments), arguments, phrase: "ermission denied")
        }
    }

    @Test("empty standard input: one clear error, exit 2, for every command that reads it")
    func emptyInput() throws {
        let runs: [([String], String)] = [
            (["decode"], "missing_argument"), (["verify", "--secret-file", Self.secret], "missing_argument"),
            (["inspect-size"], "invalid_value"), (["decode", "--scan"], "invalid_value"),
            (["inspect-size", "--claims", "-"], "malformed_json"), (["sign", "--secret-file", Self.secret, "--claims", "-"], "malformed_json"),
        ]
        for (arguments, code) in runs {
            let result = try Tokenctl.run(arguments, stdin: [])
            #expect(result.status == 2 && result.stderr.hasPrefix("tokenctl: \(arguments[0]): error[\(code)]"), "\(arguments): \(result)")
            #expect(result.stdout.isEmpty, "\(arguments): \(result)")
        }
    }

    @Test("invalid UTF-8 inside a token's JSON and on a stdin line is malformed, one line each")
    func invalidUTF8() throws {
        func b64(_ bytes: [UInt8]) -> String {
            Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        let token = b64(Array(#"{"alg":"HS256"}"#.utf8)) + "." + b64(Array(#"{"sub":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)) + ".c2ln"
        // (verify checks the signature first, so only decode reaches the payload's JSON here.)
        let result = try Tokenctl.run(["decode"], input: token + "\n")
        #expect(result.status == 1 && result.stderr.contains("error[malformed]") && result.stderr.contains("UTF-8"), "\(result)")
        #expect(result.stderr.split(separator: "\n").count == 1, "\(result)")
        let json = try Tokenctl.run(["decode", "--json"], input: token + "\n")
        #expect(json.status == 1 && json.stdout.contains("\"malformed\"") && json.stdout.split(separator: "\n").count == 1, "\(json)")
        let line = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now], stdin: [0x65, 0x79, 0xFF, 0xFE, 0x0A])
        #expect(line.status == 1 && line.stderr.contains("error[malformed]") && line.stderr.split(separator: "\n").count == 1, "\(line)")
    }

    @Test("CRLF line endings: tokens on \\r\\n lines verify, decode and size like \\n lines")
    func crlf() throws {
        let token = try Tokenctl.run(["sign", "--secret-file", Self.secret, "--now", Self.now, "--sub", "a", "--aud", "x"]).output
        let input = token + "\r\n" + token + "\r\n"
        let verified = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now, "--aud", "x"], input: input)
        #expect(verified.status == 0 && verified.stdout == "valid\nvalid\n", "\(verified)")
        let decoded = try Tokenctl.run(["decode", "--json"], input: input)
        #expect(decoded.status == 0 && decoded.stdout.split(separator: "\n").count == 2, "\(decoded)")
        let sized = try Tokenctl.run(["inspect-size", "--format", "json"], input: input)
        #expect(sized.status == 0 && sized.stdout.split(separator: "\n").count == 2, "\(sized)")
    }

    @Test("a closed stdout (fd 1 not open): exit 2, output_unwritable, no crash")
    func closedStdout() throws {
        let token = try Tokenctl.run(["sign", "--secret-file", Self.secret, "--now", Self.now, "--sub", "a"]).output
        for arguments in [["decode", token], ["sign", "--secret-file", Self.secret, "--now", Self.now], ["--version"]] {
            let work = try Tokenctl.temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: work) }
            let errURL = work.appendingPathComponent("stderr")
            try Data().write(to: errURL)
            let null = open("/dev/null", O_RDONLY | O_CLOEXEC)
            let errors = open(errURL.path, O_WRONLY | O_CLOEXEC)
            defer { close(null); close(errors) }
            // A descriptor number that is not open, dup2'd onto 1 fails, so close 1 via a shell.
            let pid = try ChildProcess().spawn(
                "/bin/sh", ["-c", "exec \"$0\" \"$@\" >&-", Tokenctl.binary.path] + arguments,
                environment: ["PATH": "/usr/bin:/bin", "HOME": work.path, "LC_ALL": "C.UTF-8"], stdin: null, stdout: errors, stderr: errors)
            let outcome = ChildProcess.wait(pid, timeout: 20)
            let stderr = String(decoding: try Data(contentsOf: errURL), as: UTF8.self)
            #expect(outcome.signal == nil && outcome.status == 2, "\(arguments): \(outcome) \(stderr)")
            #expect(stderr.contains("error[output_unwritable]") && stderr.split(separator: "\n").count == 1, "\(arguments): \(stderr)")
        }
    }

    @Test("a full disk during a keyset write (a 64 KiB tmpfs): exit 2 in one line, keys.json unchanged, no stray files",
          .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func fullDisk() throws {
        let mountPoint = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: mountPoint) }
        let mounted = try Subprocess.run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", mountPoint.path])
        try #require(mounted.status == 0, "mount failed (no CAP_SYS_ADMIN?): \(mounted)")
        defer { _ = try? Subprocess.run("/bin/umount", [mountPoint.path]) }
        let keyset = mountPoint.appendingPathComponent("ks").path
        let created = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--now", Self.now])
        #expect(created.status == 0, "\(created)")
        let before = try Data(contentsOf: URL(fileURLWithPath: keyset + "/keys.json"))
        // Fill the file system.
        let filler = open(mountPoint.appendingPathComponent("filler").path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o600)
        let block = [UInt8](repeating: 0, count: 1024)
        while block.withUnsafeBytes({ Glibc.write(filler, $0.baseAddress, $0.count) }) > 0 {}
        close(filler)
        let rotated = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--now", Self.now, "--force"])
        #expect(rotated.status == 2, "\(rotated)")
        #expect(rotated.stderr.contains("error[output_unwritable]") && rotated.stderr.contains("No space left on device"), "\(rotated)")
        #expect(rotated.stderr.split(separator: "\n").count == 1, "\(rotated)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: keyset + "/keys.json")) == before)
        let names = try FileManager.default.contentsOfDirectory(atPath: keyset).sorted()
        #expect(names == [".lock", "jwks.json", "keys.json"], "\(names)")
        // With space again, the same rotation succeeds.
        try FileManager.default.removeItem(at: mountPoint.appendingPathComponent("filler"))
        let again = try Tokenctl.run(["rotate-keys", "--keyset", keyset, "--now", Self.now, "--force"])
        #expect(again.status == 0, "\(again)")
    }
}
