/// Which proxy, if any, an HTTPS fetch goes through: `HTTPS_PROXY` (or `https_proxy`), except
/// for loopback hosts and hosts matched by `NO_PROXY` (or `no_proxy`).
enum ProxyChoice {
    /// The proxy URL for `url`, or `nil` to connect directly.
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` when the proxy variable is not an `http://` URL.
    static func proxy(for url: FetchURL, environment: [String: String]) throws -> FetchURL? {
        guard url.isHTTPS, !url.isLoopback else { return nil }
        guard let value = environment["https_proxy"] ?? environment["HTTPS_PROXY"], !value.isEmpty else { return nil }
        let noProxy = environment["no_proxy"] ?? environment["NO_PROXY"] ?? ""
        if bypasses(url.host, noProxy: noProxy) { return nil }
        let text = value.contains("://") ? value : "http://" + value
        let proxy: FetchURL
        do {
            proxy = try FetchURL(text)
        } catch {
            throw TokenError.invalidValue("HTTPS_PROXY '\(value.prefix(200))' is not a proxy URL like http://proxy:3128")
        }
        guard !proxy.isHTTPS else {
            throw TokenError.invalidValue("HTTPS_PROXY '\(value.prefix(200))': only http:// proxies (CONNECT) are supported")
        }
        return proxy
    }

    /// Whether `NO_PROXY` (comma-separated: `*`, host names, `.domain` or `domain` suffixes,
    /// IP addresses; ports ignored) exempts `host`.
    static func bypasses(_ host: String, noProxy: String) -> Bool {
        for raw in noProxy.split(separator: ",") {
            var entry = String(raw.drop(while: { $0 == " " || $0 == "\t" })).lowercased()
            while entry.last == " " || entry.last == "\t" { entry.removeLast() }
            if entry == "*" { return true }
            if entry.hasPrefix("["), let close = entry.firstIndex(of: "]") {
                entry = String(entry[entry.index(after: entry.startIndex)..<close])
            } else if entry.filter({ $0 == ":" }).count == 1, let colon = entry.firstIndex(of: ":") {
                entry = String(entry[..<colon])
            }
            while entry.hasPrefix(".") || entry.hasPrefix("*") { entry.removeFirst() }
            if entry.isEmpty { continue }
            if host == entry || host.hasSuffix("." + entry) { return true }
        }
        return false
    }
}
