import Foundation
import Testing

/// Helpers for the keyset tests (issues 7 and 8): files, modes, JSON, and runs of the binary
/// that the test may kill or start under a given umask.
enum KeysetFiles {
    /// The permission bits of a path (not following a final symbolic link).
    static func mode(_ path: String) -> Int {
        var info = stat()
        return lstat(path, &info) == 0 ? Int(info.st_mode & 0o7777) : -1
    }

    /// A JSON object from a file or a string.
    static func object(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func object(file path: String) throws -> [String: Any] {
        try object(try String(contentsOfFile: path, encoding: .utf8))
    }

    /// The records of a keyset's private file.
    static func records(_ keyset: String) throws -> [[String: Any]] {
        try #require(try object(file: keyset + "/keys.json")["keys"] as? [[String: Any]])
    }

    /// The kids of a keyset's private file in a given state (any state when `nil`).
    static func kids(_ keyset: String, state: String? = nil) throws -> [String] {
        try records(keyset).filter { state == nil || $0["state"] as? String == state }.compactMap { $0["kid"] as? String }
    }

    /// The kids published in a keyset's `jwks.json`.
    static func publishedKids(_ keyset: String) throws -> [String] {
        let keys = try #require(try object(file: keyset + "/jwks.json")["keys"] as? [[String: Any]])
        return keys.compactMap { $0["kid"] as? String }
    }

    /// The kid in a token's header.
    static func kid(of token: String) throws -> String {
        var segment = String(try #require(token.split(separator: ".").first))
            .replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while segment.count % 4 != 0 { segment += "=" }
        let header = try object(String(decoding: try #require(Data(base64Encoded: segment)), as: UTF8.self))
        return try #require(header["kid"] as? String)
    }

    /// Starts the binary without waiting (for SIGKILL tests).
    static func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = Tokenctl.binary
        process.arguments = arguments
        var env = ["PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "LC_ALL": "C.UTF-8"]
        env.merge(environment) { _, new in new }
        process.environment = env.merging(ChildProcess.sanitizerOptions) { given, _ in given }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Runs the binary under `umask 000` (through /bin/sh, so the test process's umask is
    /// untouched) and returns its exit status and standard error.
    static func runWithOpenUmask(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stderr: String) {
        let work = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let stderrURL = work.appendingPathComponent("stderr")
        try Data().write(to: stderrURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "umask 000 && exec \"$0\" \"$@\"", Tokenctl.binary.path] + arguments
        var env = ["PATH": "/usr/bin:/bin", "HOME": work.appendingPathComponent("home").path, "LC_ALL": "C.UTF-8"]
        env.merge(environment) { _, new in new }
        process.environment = env.merging(ChildProcess.sanitizerOptions) { given, _ in given }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: try Data(contentsOf: stderrURL), as: UTF8.self))
    }
}
