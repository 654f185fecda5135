import Foundation
import Testing

/// Issue 7 (security) and the audience and short-secret items of issue 6, through the binary.
@Suite("security of keys, secrets, files and comparisons")
struct Issue7SecurityTests {
    static let now = "1800000000"
    static let secret = Tokenctl.fixture("keys/hs256.secret")

    /// An HS256 token over `header` and `payload` with `key` as the secret.
    static func hs256(header: String = #"{"alg":"HS256"}"#, _ payload: String, key: [UInt8]) -> String {
        let input = base64url(Array(header.utf8)) + "." + base64url(Array(payload.utf8))
        return input + "." + base64url(hmacSHA256(key: key, message: Array(input.utf8)))
    }

    static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// HMAC-SHA256 through the system openssl, so that the test does not trust tokenctl.
    static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        let directory = try! Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let messageURL = directory.appendingPathComponent("m")
        try! Data(message).write(to: messageURL)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        let hexKey = key.map { String(format: "%02x", $0) }.joined()
        process.arguments = ["dgst", "-sha256", "-mac", "HMAC", "-macopt", "hexkey:\(hexKey)", "-binary", messageURL.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try! process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    func secretBytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: Self.secret))) }

    // MARK: - Item 3: public key material as an HMAC secret

    @Test("the published jwks.json of a keyset is refused as an HMAC secret, even with a token forged with it")
    func jwksAsSecret() throws {
        let home = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: home) }
        let created = try Tokenctl.run(["sign", "--sub", "a"], home: home)
        #expect(created.status == 0, "\(created)")
        let jwksPath = home.appendingPathComponent(".config/tokenctl/keyset/jwks.json").path
        let jwks = Array(try Data(contentsOf: URL(fileURLWithPath: jwksPath)))
        let forged = Self.hs256(#"{"sub":"admin","exp":1900000000}"#, key: jwks)
        let result = try Tokenctl.run(["verify", "--secret-file", jwksPath, "--now", Self.now, forged], home: home)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("error[key_unsuitable]") && result.stderr.contains("JWKS"), "\(result)")
        #expect(!result.stdout.contains("admin"))
    }

    @Test("public key material in any disguise is refused as a secret", arguments: [
        "jwk", "der-newline", "der-nul", "pem-body", "authorized-keys", "late-pem", "pkcs1-der",
    ])
    func disguisedPublicKeys(kind: String) throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pem = try String(contentsOfFile: Tokenctl.fixture("keys/p256.pub.pem"), encoding: .utf8)
        let body = pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined(separator: "\n")
        let der = Array(Data(base64Encoded: body.replacingOccurrences(of: "\n", with: ""))!)
        let rsaPEM = try String(contentsOfFile: Tokenctl.fixture("keys/rsa2048.pub.pem"), encoding: .utf8)
        let rsaSPKI = Array(Data(base64Encoded: rsaPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined())!)
        var bytes: [UInt8]
        switch kind {
        case "jwk":
            bytes = Array(#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRKEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0"}"#.utf8)
        case "der-newline": bytes = der + [0x0A]
        case "der-nul": bytes = der + [0x00]
        case "pem-body": bytes = Array((body + "\n").utf8)
        case "authorized-keys":
            bytes = Array(#"from="10.0.0.1",no-pty ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl user@host"#.utf8) + [0x0A]
        case "late-pem": bytes = [UInt8](repeating: UInt8(ascii: "x"), count: 5000) + [0x0A] + Array(pem.utf8)
        default:
            // The PKCS#1 RSAPublicKey inside the SPKI: the BIT STRING after the algorithm.
            bytes = Array(rsaSPKI.suffix(270))
        }
        let path = directory.appendingPathComponent("secret").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let forged = Self.hs256(#"{"sub":"admin","exp":1900000000}"#, key: bytes)
        let result = try Tokenctl.run(["verify", "--secret-file", path, "--now", Self.now, forged])
        #expect(result.status == 2, "\(kind): \(result)")
        #expect(result.stderr.contains("error[key_unsuitable]") && result.stderr.contains("public key material"), "\(kind): \(result)")
    }

    @Test("an oct JWK whose k is a DER public key is refused")
    func octJWKWithPublicKey() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let pem = try String(contentsOfFile: Tokenctl.fixture("keys/p256.pub.pem"), encoding: .utf8)
        let der = Array(Data(base64Encoded: pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined())!)
        let jwks = directory.appendingPathComponent("k.json").path
        try Data(#"{"keys":[{"kty":"oct","k":"\#(Self.base64url(der))"}]}"#.utf8).write(to: URL(fileURLWithPath: jwks))
        let forged = Self.hs256(#"{"sub":"admin","exp":1900000000}"#, key: der)
        let result = try Tokenctl.run(["verify", "--key", jwks, "--now", Self.now, forged])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("error[key_unsuitable]") && result.stderr.contains("public key material"), "\(result)")
    }

    @Test("an ordinary secret still verifies")
    func ordinarySecret() throws {
        let token = Self.hs256(#"{"sub":"a","exp":1900000000}"#, key: try secretBytes())
        let result = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now, token])
        #expect(result.status == 0, "\(result)")
    }

    // MARK: - Item 4: small-order Ed25519/Ed448 keys and R values

    @Test("the small-order Ed25519 key x = 01 00..00 is refused, so the all-neutral signature cannot verify")
    func smallOrderEd25519() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let x = [UInt8(1)] + [UInt8](repeating: 0, count: 31)
        let jwk = directory.appendingPathComponent("small.jwk").path
        try Data(#"{"kty":"OKP","crv":"Ed25519","x":"\#(Self.base64url(x))"}"#.utf8).write(to: URL(fileURLWithPath: jwk))
        let spki: [UInt8] = [0x30, 0x2A, 0x30, 0x05, 0x06, 0x03, 0x2B, 0x65, 0x70, 0x03, 0x21, 0x00] + x
        let pem = directory.appendingPathComponent("small.pem").path
        try Data("-----BEGIN PUBLIC KEY-----\n\(Data(spki).base64EncodedString())\n-----END PUBLIC KEY-----\n".utf8)
            .write(to: URL(fileURLWithPath: pem))
        let token = Self.base64url(Array(#"{"alg":"EdDSA"}"#.utf8)) + "."
            + Self.base64url(Array(#"{"sub":"forged","exp":1900000000}"#.utf8)) + "."
            + Self.base64url(x + [UInt8](repeating: 0, count: 32))
        for key in [jwk, pem] {
            let result = try Tokenctl.run(["verify", "--key", key, "--now", Self.now, token])
            #expect(result.status == 2, "\(result)")
            #expect(result.stderr.contains("error[weak_key]") && result.stderr.contains("small order"), "\(result)")
            #expect(!result.stdout.contains("forged"))
        }
    }

    @Test("non-canonical and small-order Ed25519/Ed448 public keys are refused", arguments: [
        ("Ed25519", "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // y = p - 1, order 2
        ("Ed25519", "0000000000000000000000000000000000000000000000000000000000000080"),  // y = 0, order 4
        ("Ed25519", "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"),  // order 8
        ("Ed25519", "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),  // y = p + 1: not canonical
        ("Ed448", "01" + String(repeating: "00", count: 56)),  // neutral element
        ("Ed448", String(repeating: "00", count: 57)),  // y = 0, order 4
        ("Ed448", String(repeating: "ff", count: 56) + "00"),  // y >= p: not canonical
    ])
    func weakOKPKeys(curve: String, hex: String) throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let x = stride(from: 0, to: hex.count, by: 2).map { offset -> UInt8 in
            let start = hex.index(hex.startIndex, offsetBy: offset)
            return UInt8(hex[start..<hex.index(start, offsetBy: 2)], radix: 16)!
        }
        let jwk = directory.appendingPathComponent("k.jwk").path
        try Data(#"{"kty":"OKP","crv":"\#(curve)","x":"\#(Self.base64url(x))"}"#.utf8).write(to: URL(fileURLWithPath: jwk))
        let result = try Tokenctl.run(["verify", "--key", jwk, "--now", Self.now, "a.b.c"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("error[weak_key]"), "\(result)")
    }

    @Test("an Ed25519 signature whose R is small-order is rejected as signature_invalid")
    func smallOrderR() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let token = try Tokenctl.run(["sign", "--key", Tokenctl.fixture("keys/ed25519.pem"), "--now", Self.now, "--sub", "a"]).output
        let parts = token.split(separator: ".")
        let small = [UInt8(1)] + [UInt8](repeating: 0, count: 31) + [UInt8](repeating: 0, count: 32)
        let forged = parts[0] + "." + parts[1] + "." + Self.base64url(small)
        let result = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/ed25519.pub.pem"), "--now", Self.now, String(forged)])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("error[signature_invalid]"), "\(result)")
        let good = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/ed25519.pub.pem"), "--now", Self.now, token])
        #expect(good.status == 0, "\(good)")
    }

    // MARK: - Item 5: byte-exact comparisons

    @Test("claims and header values are compared as UTF-8 bytes, not by Unicode equivalence", arguments: [
        ("{\"iss\":\"https://\u{212A}ey.example\",\"exp\":1900000000}", "{\"alg\":\"HS256\"}", ["--iss", "https://Key.example"], "issuer_mismatch"),
        ("{\"sub\":\"jose\u{301}\",\"exp\":1900000000}", "{\"alg\":\"HS256\"}", ["--sub", "jos\u{E9}"], "subject_mismatch"),
        ("{\"aud\":\"\u{212A}\",\"exp\":1900000000}", "{\"alg\":\"HS256\"}", ["--aud", "K"], "audience_mismatch"),
        ("{\"exp\":1900000000}", "{\"alg\":\"HS256\",\"typ\":\"JW\u{212A}\"}", ["--typ", "JWK"], "type_mismatch"),
        ("{\"exp\":1900000000}", "{\"alg\":\"HS256\",\"kid\":\"\u{212A}1\"}", [], "key_not_found"),
    ])
    func byteExactClaims(payload: String, header: String, options: [String], code: String) throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let jwks = directory.appendingPathComponent("k.json").path
        let k = Self.base64url(try secretBytes())
        try Data(#"{"keys":[{"kty":"oct","kid":"K1","k":"\#(k)"}]}"#.utf8).write(to: URL(fileURLWithPath: jwks))
        let token = Self.hs256(header: header, payload, key: try secretBytes())
        let result = try Tokenctl.run(["verify", "--key", jwks, "--now", Self.now] + options + [token])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("error[\(code)]"), "\(result)")
        if code == "issuer_mismatch" || code == "subject_mismatch" {
            #expect(result.stderr.contains("differ in their UTF-8 bytes"), "\(result)")
        }
    }

    @Test("an alg of ES256 + KELVIN SIGN is not ES256K")
    func kelvinAlgorithm() throws {
        let header = "{\"alg\":\"ES256\u{212A}\"}"
        let token = Self.base64url(Array(header.utf8)) + "." + Self.base64url(Array(#"{"exp":1900000000}"#.utf8)) + "."
            + Self.base64url([UInt8](repeating: 1, count: 64))
        let result = try Tokenctl.run(["verify", "--key", Tokenctl.fixture("keys/secp256k1.pkcs8.pem"), "--now", Self.now, token])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("error[algorithm_not_allowed]") && result.stderr.contains("unknown alg"), "\(result)")
    }

    @Test("member names differing only by Unicode equivalence are two members, not duplicates")
    func memberNames() throws {
        let token = Self.hs256("{\"exp\":1900000000,\"K\":1,\"\u{212A}\":2}", key: try secretBytes())
        let result = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now, "--json", token])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("\"K\":1") && result.stdout.contains("\"\u{212A}\":2"), "\(result)")
    }

    // MARK: - Item 7: FIFOs never hang

    @Test("a FIFO given as a key, secret, password, revocation list or keyset file is refused at once", arguments: [
        "key", "secret-file", "password-file", "revoked", "keyset",
    ])
    func fifo(option: String) throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let fifo = directory.appendingPathComponent(option == "keyset" ? "keys.json" : "fifo").path
        #expect(mkfifo(fifo, 0o600) == 0)
        var arguments = ["verify", "--now", Self.now]
        switch option {
        case "password-file": arguments += ["--key", Tokenctl.fixture("keys/p256.encrypted.pem"), "--password-file", fifo]
        case "revoked": arguments += ["--secret-file", Self.secret, "--revoked", fifo]
        case "keyset":
            #expect(chmod(directory.path, 0o700) == 0)  // a keyset directory must be the caller's alone
            arguments += ["--keyset", directory.path]
        default: arguments += ["--\(option)", fifo]
        }
        let result = try Tokenctl.run(arguments + ["a.b.c"], timeout: 10)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("error[input_unreadable]") && result.stderr.contains("named pipe"), "\(result)")
    }

    @Test("a character device such as /dev/zero is refused as a key")
    func characterDevice() throws {
        let result = try Tokenctl.run(["verify", "--key", "/dev/zero", "a.b.c"], timeout: 10)
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("character device"), "\(result)")
    }

    // MARK: - Item 8: the revocation list

    @Test("a revocation list with comments, spaces and CRLF rejects exactly its ids")
    func revocationList() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let list = directory.appendingPathComponent("revoked.txt")
        try Data("# revoked\r\n  id-1  \r\nid-2\n\n#id-3\n\u{212A}\n".utf8).write(to: list)
        for (jti, revoked) in [("id-1", true), ("id-2", true), ("id-3", false), ("#id-3", false), ("K", false), ("\u{212A}", true)] {
            let token = Self.hs256("{\"jti\":\"\(jti)\",\"exp\":1900000000}", key: try secretBytes())
            let result = try Tokenctl.run(["verify", "--secret-file", Self.secret, "--now", Self.now, "--revoked", list.path, token])
            #expect(result.status == (revoked ? 1 : 0), "\(jti): \(result)")
            #expect(result.stderr.contains("error[revoked]") == revoked, "\(jti): \(result)")
        }
    }

    // MARK: - Item 10: secrets never echoed

    @Test("a secret given where a variable name or a path belongs is never printed", arguments: [
        "secret-env", "secret-file", "password-env", "password-file",
    ])
    func secretNotEchoed(option: String) throws {
        let value = "s3cr3t-Value/with spaces+and=symbols!"
        var arguments = ["verify", "--now", Self.now]
        if option.hasPrefix("password") { arguments += ["--key", Tokenctl.fixture("keys/p256.encrypted.pem")] }
        let result = try Tokenctl.run(arguments + ["--\(option)", value, "a.b.c"])
        #expect(result.status == 2, "\(result)")
        #expect(!result.stderr.contains("s3cr3t") && !result.stdout.contains("s3cr3t"), "\(result)")
        #expect(result.stderr.contains(option.hasSuffix("env") ? "name of the environment variable" : "no such file"), "\(result)")
    }

    @Test("a plausible variable name is still named when it is not set")
    func variableNameShown() throws {
        let result = try Tokenctl.run(["verify", "--secret-env", "JWT_SECRET_UNSET", "a.b.c"])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("environment variable JWT_SECRET_UNSET"), "\(result)")
    }

    // MARK: - Item 11: one-byte secrets

    @Test("a secret of 32 identical bytes is refused like a short one, on sign and verify", arguments: ["sign", "verify"])
    func allSameSecret(command: String) throws {
        let arguments = [command, "--secret-env", "S", "--secret-encoding", "hex", "--now", Self.now]
            + (command == "verify" ? ["a.b.c"] : ["--sub", "a"])
        let result = try Tokenctl.run(arguments, environment: ["S": String(repeating: "00", count: 32)])
        #expect(result.status == 2, "\(result)")
        #expect(result.stderr.contains("error[weak_key]") && result.stderr.contains("one byte"), "\(result)")
        #expect(result.stdout.isEmpty)
    }

    // MARK: - Issue 6: audience and short secrets

    @Test("a token with aud is rejected when no --aud is given, and accepted with --aud or --ignore-aud")
    func audienceRequired() throws {
        let token = Self.hs256(#"{"aud":["api","web"],"exp":1900000000}"#, key: try secretBytes())
        let base = ["verify", "--secret-file", Self.secret, "--now", Self.now]
        let rejected = try Tokenctl.run(base + [token])
        #expect(rejected.status == 1, "\(rejected)")
        #expect(rejected.stderr.contains("error[audience_mismatch]"), "\(rejected)")
        #expect(rejected.stderr.contains("\"api\", \"web\"") && rejected.stderr.contains("--aud"), "\(rejected)")
        #expect(try Tokenctl.run(base + ["--aud", "web", token]).status == 0)
        #expect(try Tokenctl.run(base + ["--ignore-aud", token]).status == 0)
        let json = try Tokenctl.run(base + ["--json", token])
        #expect(json.stdout.contains("\"code\":\"audience_mismatch\""), "\(json)")
        let noAud = Self.hs256(#"{"exp":1900000000}"#, key: try secretBytes())
        #expect(try Tokenctl.run(base + [noAud]).status == 0)
    }

    @Test("an HS512 token with a 32-byte secret says the secret is too short for HS512")
    func hs512ShortSecret() throws {
        let directory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shortSecret = directory.appendingPathComponent("s32")
        try Data((0..<32).map { UInt8($0 * 7 + 1) }).write(to: shortSecret)
        let header = Self.base64url(Array(#"{"alg":"HS512"}"#.utf8))
        let token = header + "." + Self.base64url(Array(#"{"exp":1900000000}"#.utf8)) + "." + Self.base64url([UInt8](repeating: 7, count: 64))
        let verify = try Tokenctl.run(["verify", "--secret-file", shortSecret.path, "--now", Self.now, token])
        #expect(verify.status == 1, "\(verify)")
        #expect(verify.stderr.contains("secret too short for HS512 (needs at least 64 bytes"), "\(verify)")
        let sign = try Tokenctl.run(["sign", "--secret-file", shortSecret.path, "--alg", "HS512", "--now", Self.now])
        #expect(sign.status == 2, "\(sign)")
        #expect(sign.stderr.contains("secret too short for HS512 (needs at least 64 bytes"), "\(sign)")
    }
}
