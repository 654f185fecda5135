@testable import TokenKit
import Testing

/// The JWKS client's pure parts: URLs, redirects, proxy choice, Cache-Control, the key source.
@Suite("JWKS fetching: URLs, proxies, caching")
struct FetchTests {
    @Test("URLs: scheme, host, port, target, loopback")
    func urls() throws {
        let url = try FetchURL("https://Issuer.Example:8443/a/jwks.json?x=1#frag")
        #expect(url.isHTTPS && url.host == "issuer.example" && url.port == 8443 && url.target == "/a/jwks.json?x=1")
        #expect("\(url)" == "https://issuer.example:8443/a/jwks.json?x=1")
        #expect(try FetchURL("http://127.0.0.1").target == "/")
        #expect(try FetchURL("https://[::1]:9/x").host == "::1")
        #expect(try FetchURL("https://[::1]:9/x").isLoopback)
        #expect(try FetchURL("http://localhost:1/").isLoopback)
        #expect(try FetchURL("http://127.9.9.9/").isLoopback)
        #expect(try !FetchURL("http://127.0.0.1.example.com/").isLoopback)
        #expect(try !FetchURL("https://10.0.0.1/").isLoopback)
        for bad in ["ftp://x/", "https://", "https://user:pw@host/", "https://host:99999/", "https://host:0/", "https://ho st/"] {
            #expect(throws: TokenError.invalidValue("")) { try FetchURL(bad) }
        }
    }

    @Test("redirect locations resolve against the URL")
    func redirects() throws {
        let base = try FetchURL("https://a.example/keys/v1/jwks.json")
        #expect("\(try base.resolving("/other"))" == "https://a.example/other")
        #expect("\(try base.resolving("v2.json"))" == "https://a.example/keys/v1/v2.json")
        #expect("\(try base.resolving("//b.example/x"))" == "https://b.example/x")
        #expect("\(try base.resolving("http://c.example/"))" == "http://c.example/")
        #expect("\(try FetchURL("https://a.example/tenant/").openIDConfiguration)"
            == "https://a.example/tenant/.well-known/openid-configuration")
    }

    @Test("HTTPS_PROXY is used except for loopback and NO_PROXY hosts")
    func proxies() throws {
        let environment = ["HTTPS_PROXY": "proxy.internal:3128", "NO_PROXY": "localhost, .corp.example,10.1.2.3, svc:443"]
        func proxy(_ url: String, _ env: [String: String] = environment) throws -> String? {
            try ProxyChoice.proxy(for: FetchURL(url), environment: env).map { "\($0.host):\($0.port)" }
        }
        #expect(try proxy("https://issuer.example/jwks") == "proxy.internal:3128")
        #expect(try proxy("https://127.0.0.1:8443/jwks") == nil)
        #expect(try proxy("https://a.corp.example/jwks") == nil)
        #expect(try proxy("https://corp.example/jwks") == nil)
        #expect(try proxy("https://xcorp.example/jwks") == "proxy.internal:3128")
        #expect(try proxy("https://10.1.2.3/jwks") == nil)
        #expect(try proxy("https://svc/jwks") == nil)
        #expect(try proxy("http://localhost/jwks") == nil)
        #expect(try proxy("https://a/", ["https_proxy": "http://p:1", "HTTPS_PROXY": "http://q:2"]) == "p:1")
        #expect(try proxy("https://a/", ["HTTPS_PROXY": "http://p:1", "no_proxy": "*"]) == nil)
        #expect(throws: TokenError.invalidValue("")) { try proxy("https://a/", ["HTTPS_PROXY": "https://p:1"]) }
    }

    @Test("Cache-Control: max-age, no-store, absent")
    func cacheControl() throws {
        func maxAge(_ value: String?) throws -> Int64? {
            HTTPResponse(url: try FetchURL("https://a/"), status: 200, headers: value.map { [("cache-control", $0)] } ?? [], body: [])
                .cacheMaxAge
        }
        #expect(try maxAge("public, max-age=3600, must-revalidate") == 3600)
        #expect(try maxAge("no-store") == 0)
        #expect(try maxAge("public") == nil)
        #expect(try maxAge(nil) == nil)
    }

    @Test("--jwks values: URL, issuer URL, file")
    func sources() throws {
        #expect(try RemoteKeySet.source(jwks: "https://a.example/jwks.json", issuerURL: nil) == .jwks(FetchURL("https://a.example/jwks.json")))
        #expect(try RemoteKeySet.source(jwks: "https://a.example", issuerURL: nil) == .issuer(FetchURL("https://a.example")))
        #expect(try RemoteKeySet.source(jwks: "https://a.example/t/.well-known/openid-configuration", issuerURL: nil)
            == .issuer(FetchURL("https://a.example/t")))
        #expect(try RemoteKeySet.source(jwks: "keys/jwks.json", issuerURL: nil) == .file("keys/jwks.json"))
        #expect(try RemoteKeySet.source(jwks: nil, issuerURL: "https://a.example/t") == .issuer(FetchURL("https://a.example/t")))
        #expect(try RemoteKeySet.source(jwks: nil, issuerURL: nil) == nil)
    }
}
