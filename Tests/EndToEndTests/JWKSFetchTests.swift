import Foundation
import Testing

/// `verify --jwks URL|FILE` and `--issuer-url` against local servers (see ``JWKSTestBed``):
/// what works, and every fetch failure as exit 2 with one line naming the URL and the cause.
@Suite("verify --jwks over HTTPS")
struct JWKSFetchTests {
    func bed() throws -> JWKSTestBed { try JWKSTestBed.shared.get() }

    /// Runs verify with the test CA trusted.
    func verify(_ arguments: [String], _ token: String, environment: [String: String] = [:]) throws -> RunResult {
        try Tokenctl.run(["verify", "--cacert", try bed().caFile] + arguments + [token], environment: environment)
    }

    @Test("a token verifies against a JWKS fetched over HTTPS (Content-Length, chunked, by name with SNI, after a redirect)")
    func success() throws {
        let bed = try bed()
        for url in [
            bed.url("good", "/jwks.json"), bed.url("good", "/chunked/jwks.json", host: "localhost"),
            bed.url("good", "/redirect/jwks.json"),
        ] {
            let result = try verify(["--jwks", url], bed.tokenA)
            #expect(result.status == 0, "\(url): \(result)")
            #expect(result.stdout.contains("\"sub\": \"alice\""), "\(result)")
            #expect(result.stderr.isEmpty, "\(result)")
        }
        // The other keyset's token is rejected (exit 1), so the fetched keys are what decides.
        let other = try verify(["--jwks", bed.url("good", "/jwks.json")], bed.tokenB)
        #expect(other.status == 1 && other.stderr.contains("error[key_not_found]"), "\(other)")
        // A proxy in the environment is not used for loopback (this one does not exist).
        let proxied = try verify(["--jwks", bed.url("good", "/jwks.json")], bed.tokenA,
                                 environment: ["HTTPS_PROXY": "http://127.0.0.1:9"])
        #expect(proxied.status == 0, "\(proxied)")
    }

    @Test("plain http:// works to loopback only")
    func plainHTTP() throws {
        let bed = try bed()
        let local = try Tokenctl.run(["verify", "--jwks", bed.url("plain", "/jwks.json"), bed.tokenA])
        #expect(local.status == 0, "\(local)")
        let remote = try Tokenctl.run(["verify", "--jwks", "http://jwks.example.com/jwks.json", bed.tokenA])
        expectFetchFailure(remote, url: "http://jwks.example.com/jwks.json", cause: "plain http:// is only allowed to loopback")
    }

    @Test("an untrusted certificate, one for another host, and an expired one are refused")
    func certificates() throws {
        let bed = try bed()
        let untrusted = bed.url("untrusted", "/jwks.json")
        expectFetchFailure(try verify(["--jwks", untrusted], bed.tokenA), url: untrusted,
                           cause: "TLS certificate verification failed: self-signed certificate")
        let wrongHost = bed.url("wronghost", "/jwks.json")
        expectFetchFailure(try verify(["--jwks", wrongHost], bed.tokenA), url: wrongHost,
                           cause: "the certificate is not for '127.0.0.1'")
        let expired = bed.url("expired", "/jwks.json")
        expectFetchFailure(try verify(["--jwks", expired], bed.tokenA), url: expired, cause: "certificate has expired")
        // Without --cacert, the system store does not trust the test CA.
        let good = bed.url("good", "/jwks.json")
        expectFetchFailure(try Tokenctl.run(["verify", "--jwks", good, bed.tokenA]), url: good,
                           cause: "TLS certificate verification failed: unable to get local issuer certificate")
    }

    @Test("redirects: never from HTTPS to HTTP, at most 3")
    func redirects() throws {
        let bed = try bed()
        let toHTTP = bed.url("good", "/redirect-to-http")
        expectFetchFailure(try verify(["--jwks", toHTTP], bed.tokenA), url: toHTTP,
                           cause: "refusing the redirect from HTTPS to http://127.0.0.1:\(bed.ports["plain"]!)/jwks.json")
        // /redirect/X redirects to /X: three hops are followed, a fourth is not.
        let three = try verify(["--jwks", bed.url("good", "/redirect/redirect/redirect/jwks.json")], bed.tokenA)
        #expect(three.status == 0, "\(three)")
        let four = bed.url("good", "/redirect/redirect/redirect/redirect/jwks.json")
        expectFetchFailure(try verify(["--jwks", four], bed.tokenA), url: four, cause: "more than 3 redirects")
        let loop = bed.url("good", "/loop")
        expectFetchFailure(try verify(["--jwks", loop], bed.tokenA), url: loop, cause: "more than 3 redirects")
    }

    @Test("a server that stalls times out after --timeout")
    func stall() throws {
        let bed = try bed()
        let url = bed.url("good", "/stall")
        expectFetchFailure(try verify(["--jwks", url, "--timeout", "1s"], bed.tokenA), url: url, cause: "timed out after 1s")
    }

    @Test("bodies over 1 MiB, bodies that are not a JWKS, and HTTP errors fail")
    func badResponses() throws {
        let bed = try bed()
        for path in ["/big", "/big-chunked"] {
            let url = bed.url("good", path)
            expectFetchFailure(try verify(["--jwks", url], bed.tokenA), url: url, cause: "larger than 1024 KiB")
        }
        let bad = bed.url("good", "/bad.json")
        expectFetchFailure(try verify(["--jwks", bad], bed.tokenA), url: bad, cause: "the body is not valid JSON")
        let notJWKS = bed.url("good", "/not-a-jwks.json")
        expectFetchFailure(try verify(["--jwks", notJWKS], bed.tokenA), url: notJWKS, cause: "not a JWKS")
        let secret = bed.url("good", "/secret.json")
        expectFetchFailure(try verify(["--jwks", secret], bed.tokenA), url: secret, cause: "holds a secret or private key")
        let missing = bed.url("good", "/missing.json")
        expectFetchFailure(try verify(["--jwks", missing], bed.tokenA), url: missing, cause: "HTTP 404")
        let closed = "https://127.0.0.1:9/jwks.json"
        expectFetchFailure(try verify(["--jwks", closed], bed.tokenA), url: closed, cause: "cannot connect to 127.0.0.1 port 9")
    }

    @Test("HTTPS_PROXY: the fetch goes through a CONNECT tunnel")
    func proxy() throws {
        let bed = try bed()
        // jwks.test is known only to the proxy (which maps it to 127.0.0.1): it works only through it.
        let url = bed.url("good", "/jwks.json?via-proxy", host: "jwks.test")
        let result = try verify(["--jwks", url], bed.tokenA, environment: ["https_proxy": "http://127.0.0.1:\(bed.ports["proxy"]!)"])
        #expect(result.status == 0, "\(result)")
        #expect(bed.proxyLog.contains("CONNECT jwks.test:\(bed.ports["good"]!) HTTP/1.1"), "\(bed.proxyLog)")
        #expect(bed.requestCount("/jwks.json?via-proxy") == 1)
    }

    @Test("batch verification fetches once")
    func batch() throws {
        let bed = try bed()
        let marker = "batch-\(UUID().uuidString)"
        let url = bed.url("good", "/jwks.json?\(marker)")
        let result = try Tokenctl.run(["verify", "--cacert", bed.caFile, "--jwks", url, "-"],
                                      input: [bed.tokenA, bed.tokenB, bed.tokenA].joined(separator: "\n") + "\n")
        #expect(result.status == 1, "\(result)")
        #expect(result.stdout.hasPrefix("valid\ninvalid key_not_found: ") && result.stdout.hasSuffix("\nvalid\n"), "\(result)")
        #expect(bed.requestCount(marker) == 1)
    }

    @Test("--issuer-url finds jwks_uri through the OpenID configuration and checks iss")
    func issuer() throws {
        let bed = try bed()
        let ok = try verify(["--issuer-url", bed.issuer], bed.tokenAIssued)
        #expect(ok.status == 0, "\(ok)")
        // A --jwks URL with path / is an issuer too.
        let slash = try verify(["--jwks", bed.issuer + "/"], bed.tokenAIssued)
        #expect(slash.status == 0, "\(slash)")
        // The token without iss is rejected: the issuer is required...
        let noIss = try verify(["--issuer-url", bed.issuer], bed.tokenA)
        #expect(noIss.status == 1 && noIss.stderr.contains("error["), "\(noIss)")
        #expect(!noIss.stderr.contains("fetch_failed"), "\(noIss)")
        // ...unless --iss says otherwise.
        let other = try verify(["--issuer-url", bed.issuer, "--iss", "https://elsewhere"], bed.tokenAIssued)
        #expect(other.status == 1 && other.stderr.contains("error[issuer_mismatch]"), "\(other)")
        // A configuration for another issuer is refused.
        let wrong = "https://localhost:\(bed.ports["good"]!)"
        expectFetchFailure(try verify(["--issuer-url", wrong], bed.tokenAIssued),
                           url: "\(wrong)/.well-known/openid-configuration", cause: "is for issuer '\(bed.issuer)'")
    }

    @Test("--jwks FILE reads a local JWKS")
    func file() throws {
        let bed = try bed()
        let result = try Tokenctl.run(["verify", "--jwks", bed.root.appendingPathComponent("jwks.json").path, bed.tokenA])
        #expect(result.status == 0, "\(result)")
    }

    @Test("--jwks-cache: a fresh cached set needs no network; a stale one is used with a warning when the fetch fails")
    func cacheWithoutNetwork() throws {
        let bed = try bed()
        let root = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        try bed.jwksA.write(to: root.appendingPathComponent("jwks.json"))
        try Data("max-age=600".utf8).write(to: root.appendingPathComponent("jwks.json.cache-control"))
        let (server, ports) = try JWKSTestBed.startServer(
            ["--root", root.path, "--tls", "good=\(bed.root.path)/certs/good.pem:\(bed.root.path)/certs/good.key"])
        let url = "https://127.0.0.1:\(ports["good"]!)/jwks.json"
        let cache = root.appendingPathComponent("cache").path
        let now = bed.signedAt
        let first = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now)"], bed.tokenA)
        #expect(first.status == 0, "\(first)")
        kill(server.processIdentifier, SIGKILL)  // the network is gone
        server.waitUntilExit()

        let fresh = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now + 590)"], bed.tokenA)
        #expect(fresh.status == 0 && fresh.stderr.isEmpty, "\(fresh)")
        // An unknown kid asks for a refresh, which fails: the cached set is kept, with a warning.
        let unknownKid = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now + 100)"], bed.tokenB)
        #expect(unknownKid.status == 1 && unknownKid.stderr.contains("error[key_not_found]"), "\(unknownKid)")
        #expect(unknownKid.stderr.hasPrefix("tokenctl: verify: warning: \(url): cannot connect to 127.0.0.1"), "\(unknownKid)")
        #expect(unknownKid.stderr.contains("; keeping the JWKS fetched 1m40s ago\n"), "\(unknownKid)")
        let stale = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now + 700)"], bed.tokenA)
        #expect(stale.status == 0, "\(stale)")
        #expect(stale.stderr.hasPrefix("tokenctl: verify: warning: \(url): cannot connect to 127.0.0.1"), "\(stale)")
        #expect(stale.stderr.hasSuffix("using the JWKS cached 11m40s ago\n"), "\(stale)")
        let tooOld = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now + 2 * 86_400)", "--leeway", "3d"], bed.tokenA)
        expectFetchFailure(tooOld, url: url, cause: "cannot connect to 127.0.0.1")
    }

    @Test("--jwks-cache: a kid not in the cached set triggers one refresh (not within 30s of the last fetch)")
    func kidMissRefresh() throws {
        let bed = try bed()
        let name = "rotating-\(UUID().uuidString).json"
        let file = bed.root.appendingPathComponent(name)
        try bed.jwksA.write(to: file)
        let url = bed.url("good", "/\(name)")
        let cacheDirectory = try Tokenctl.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: cacheDirectory) }
        let cache = cacheDirectory.path
        let now = bed.signedAt
        let first = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now)"], bed.tokenA)
        #expect(first.status == 0, "\(first)")
        try bed.jwksB.write(to: file)  // the issuer rotates to keyset B

        let soon = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now + 10)"], bed.tokenB)
        #expect(soon.status == 1 && soon.stderr.contains("error[key_not_found]"), "\(soon)")
        #expect(soon.stderr.contains("warning: \(url): the token's kid is not in the JWKS cached 10s ago"), "\(soon)")
        #expect(bed.requestCount(name) == 1)

        let later = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now + 60)"], bed.tokenB)
        #expect(later.status == 0 && later.stderr.isEmpty, "\(later)")
        #expect(bed.requestCount(name) == 2)
        // The refreshed set is cached: keyset B's token now verifies without a fetch.
        let cached = try verify(["--jwks", url, "--jwks-cache", cache, "--now", "\(now + 70)"], bed.tokenB)
        #expect(cached.status == 0, "\(cached)")
        #expect(bed.requestCount(name) == 2)
    }
}
