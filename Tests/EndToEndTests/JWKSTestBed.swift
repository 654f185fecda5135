import Foundation
import Testing

/// What the JWKS fetch tests share: a CA and server certificates made at test time with the
/// `openssl` command, local HTTP(S) servers and a CONNECT proxy on 127.0.0.1
/// (Fixtures/jwks/server.py, run with python3), and two keysets with a token each.
/// Nothing listens beyond loopback and nothing is fetched from elsewhere.
final class JWKSTestBed: @unchecked Sendable {
    /// The bed, set up on first use and shared by every test.
    static let shared: Result<JWKSTestBed, any Error> = Result { try JWKSTestBed() }

    /// The directory the servers serve (and where they log requests).
    let root: URL
    /// The CA that issued the trusted server certificates.
    let caFile: String
    /// Port of each listener: good, wronghost, expired, untrusted (HTTPS), plain (HTTP), proxy.
    let ports: [String: Int]
    /// The public JWKS of keyset A and B.
    let jwksA: Data, jwksB: Data
    /// Tokens (sub alice, 2 hours) signed by keyset A and B.
    let tokenA: String, tokenB: String
    /// A token of keyset A whose iss is ``issuer``.
    let tokenAIssued: String
    /// The issuer URL the good server's OpenID configuration names.
    let issuer: String
    /// Just after the tokens were signed (Unix seconds): no token's iat is later.
    let signedAt: Int
    private let server: Process

    private init() throws {
        root = try Tokenctl.temporaryDirectory()
        let certificates = root.appendingPathComponent("certs")
        try FileManager.default.createDirectory(at: certificates, withIntermediateDirectories: true)
        let certs = certificates.path
        caFile = "\(certs)/ca.pem"
        try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                          "-keyout", "\(certs)/ca.key", "-out", caFile, "-subj", "/CN=tokenctl test CA", "-days", "2",
                          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign"])
        // Leaf certificates: name, subjectAltName, validity in days (-1: expired), issued by the CA or self-signed.
        let leaves: [(String, String, String, Bool)] = [
            ("good", "IP:127.0.0.1,DNS:localhost,DNS:jwks.test", "2", true),
            ("wronghost", "DNS:other.example", "2", true),
            ("expired", "IP:127.0.0.1,DNS:localhost", "-1", true),
            ("untrusted", "IP:127.0.0.1,DNS:localhost", "2", false),
        ]
        var arguments = ["--root", root.path, "--plain", "plain", "--proxy", "proxy", "--map", "jwks.test=127.0.0.1"]
        for (name, names, days, issued) in leaves {
            let key = "\(certs)/\(name).key", cert = "\(certs)/\(name).pem"
            if issued {
                try Self.openssl(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                  "-keyout", key, "-out", "\(certs)/\(name).csr", "-subj", "/CN=\(name)"])
                try Data("subjectAltName=\(names)\n".utf8).write(to: URL(fileURLWithPath: "\(certs)/\(name).ext"))
                try Self.openssl(["x509", "-req", "-in", "\(certs)/\(name).csr", "-CA", caFile, "-CAkey", "\(certs)/ca.key",
                                  "-CAcreateserial", "-days", days, "-extfile", "\(certs)/\(name).ext", "-out", cert])
            } else {
                try Self.openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                                  "-keyout", key, "-out", cert, "-subj", "/CN=\(name)", "-days", days,
                                  "-addext", "subjectAltName=\(names)"])
            }
            arguments += ["--tls", "\(name)=\(cert):\(key)"]
        }
        (server, ports) = try Self.startServer(arguments)
        issuer = "https://127.0.0.1:\(ports["good"]!)"

        // Two keysets (each made by a first `sign` in its own HOME), a token from each.
        var tokens: [String] = []
        var sets: [Data] = []
        for name in ["a", "b"] {
            let home = root.appendingPathComponent("home-\(name)")
            let sign = try Tokenctl.run(["sign", "--sub", "alice", "--exp", "2h"], home: home)
            guard sign.status == 0 else { throw Failure("sign failed: \(sign)") }
            tokens.append(sign.output)
            sets.append(try Data(contentsOf: home.appendingPathComponent(".config/tokenctl/keyset/jwks.json")))
        }
        (tokenA, tokenB) = (tokens[0], tokens[1])
        (jwksA, jwksB) = (sets[0], sets[1])
        let issued = try Tokenctl.run(["sign", "--sub", "alice", "--iss", issuer, "--exp", "2h"], home: root.appendingPathComponent("home-a"))
        guard issued.status == 0 else { throw Failure("sign failed: \(issued)") }
        tokenAIssued = issued.output
        // Taken after signing, so no token's iat is later (a slow run signs seconds after it started).
        signedAt = Int(Date().timeIntervalSince1970)

        try jwksA.write(to: root.appendingPathComponent("jwks.json"))
        try Data("this is not JSON".utf8).write(to: root.appendingPathComponent("bad.json"))
        try Data(#"{"issuer": "x"}"#.utf8).write(to: root.appendingPathComponent("not-a-jwks.json"))
        try Data(#"{"keys": [{"kty": "oct", "kid": "s", "k": "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA"}]}"#.utf8).write(to: root.appendingPathComponent("secret.json"))
        let wellKnown = root.appendingPathComponent(".well-known")
        try FileManager.default.createDirectory(at: wellKnown, withIntermediateDirectories: true)
        try Data(#"{"issuer": "\#(issuer)", "jwks_uri": "\#(issuer)/chunked/jwks.json"}"#.utf8)
            .write(to: wellKnown.appendingPathComponent("openid-configuration"))
    }

    deinit { kill(server.processIdentifier, SIGKILL) }

    struct Failure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    private static func openssl(_ arguments: [String]) throws {
        guard let openssl = Subprocess.which("openssl") else { throw Failure("the openssl command is not installed") }
        let result = try Subprocess.run(openssl, arguments)
        guard result.status == 0 else { throw Failure("openssl \(arguments.joined(separator: " ")) failed: \(result)") }
    }

    /// Starts Fixtures/jwks/server.py with `arguments`; it runs until the process is terminated
    /// or this test process exits (its standard input closes).
    static func startServer(_ arguments: [String]) throws -> (Process, [String: Int]) {
        guard let python = Subprocess.which("python3") else { throw Failure("python3 is not installed; .ci/run installs it") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [Tokenctl.fixture("jwks/server.py")] + arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        // Keep the write end open for as long as this process lives: the server exits at EOF.
        lock.withLock { openInputs.append(input) }
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { throw Failure("the test server exited before listening") }
            line.append(chunk)
        }
        guard let ports = try JSONSerialization.jsonObject(with: line) as? [String: Int] else {
            throw Failure("the test server printed \(String(decoding: line, as: UTF8.self))")
        }
        return (process, ports)
    }

    nonisolated(unsafe) private static var openInputs: [Pipe] = []
    private static let lock = NSLock()

    /// `https://127.0.0.1:<port of listener>/path` (or `http://` for the plain listener).
    func url(_ listener: String, _ path: String, host: String = "127.0.0.1") -> String {
        "\(listener == "plain" ? "http" : "https")://\(host):\(ports[listener]!)\(path)"
    }

    /// How many requests the servers logged whose path contains `fragment`.
    func requestCount(_ fragment: String) -> Int {
        let log = (try? String(contentsOf: root.appendingPathComponent("requests.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.contains(fragment) }.count
    }

    /// The CONNECT lines the proxy logged.
    var proxyLog: String {
        (try? String(contentsOf: root.appendingPathComponent("proxy.log"), encoding: .utf8)) ?? ""
    }
}

/// Expects exit 2, nothing on stdout, and one `fetch_failed` line naming `url` and containing `cause`.
func expectFetchFailure(_ result: RunResult, url: String, cause: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(result.status == 2, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stdout.isEmpty, "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.hasPrefix("tokenctl: verify: error[fetch_failed]: \(url)"), "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.contains(cause), "\(result)", sourceLocation: sourceLocation)
    #expect(result.stderr.split(separator: "\n").count == 1, "\(result)", sourceLocation: sourceLocation)
}
