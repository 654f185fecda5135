/// An `http://` or `https://` URL as the JWKS client needs it: scheme, host, port and the
/// request target. Nothing else (user info, other schemes) is accepted.
public struct FetchURL: Hashable, Sendable, CustomStringConvertible {
    /// Whether the scheme is `https`.
    public let isHTTPS: Bool
    /// The host: a name, an IPv4 address, or an IPv6 address without brackets.
    public let host: String
    /// The port (default 443 or 80).
    public let port: UInt16
    /// The path and query, starting with `/`.
    public let target: String

    /// Parses an absolute `http(s)://host[:port][/path][?query]` URL (the fragment is dropped).
    ///
    /// - Throws: ``TokenError/Code/invalidValue`` naming the URL.
    public init(_ text: String) throws {
        func invalid(_ why: String) -> TokenError { TokenError.invalidValue("invalid URL '\(text.prefix(200))': \(why)") }
        let lower = text.lowercased()
        let rest: Substring
        if lower.hasPrefix("https://") {
            isHTTPS = true
            rest = text.dropFirst(8)
        } else if lower.hasPrefix("http://") {
            isHTTPS = false
            rest = text.dropFirst(7)
        } else {
            throw invalid("only http:// and https:// URLs can be fetched")
        }
        if text.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) { throw invalid("it contains spaces or non-ASCII bytes") }
        let withoutFragment = rest.prefix(while: { $0 != "#" })
        let authorityEnd = withoutFragment.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? withoutFragment.endIndex
        let authority = withoutFragment[..<authorityEnd]
        var path = String(withoutFragment[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        if authority.contains("@") { throw invalid("user names and passwords in URLs are not supported") }
        var hostPart = authority
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw invalid("unclosed [ in the host") }
            hostPart = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw invalid("unexpected text after the host") }
                portText = after.dropFirst()
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            portText = authority[authority.index(after: colon)...]
        }
        if hostPart.isEmpty { throw invalid("no host") }
        if let portText {
            guard let value = UInt16(portText), value > 0 else { throw invalid("bad port '\(portText)'") }
            port = value
        } else {
            port = isHTTPS ? 443 : 80
        }
        host = hostPart.lowercased()
        target = path
    }

    /// The URL as text, with the default port left out.
    public var description: String {
        "\(isHTTPS ? "https" : "http")://\(authority)\(target)"
    }

    /// `host[:port]` as in a `Host` header (IPv6 in brackets; the default port left out).
    public var authority: String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == (isHTTPS ? 443 : 80) ? name : "\(name):\(port)"
    }

    /// Whether the host is a loopback address or `localhost`: the only hosts reached over
    /// plain HTTP, and never through a proxy.
    public var isLoopback: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// Whether the host is an IP address rather than a name (no SNI is sent for it).
    var isIPAddress: Bool {
        host.contains(":") || host.split(separator: ".", omittingEmptySubsequences: false).allSatisfy { UInt8($0) != nil }
    }

    /// Resolves a `Location` value (absolute, scheme-relative, absolute-path or relative) against this URL.
    public func resolving(_ location: String) throws -> FetchURL {
        let lower = location.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return try FetchURL(location) }
        if location.hasPrefix("//") { return try FetchURL((isHTTPS ? "https:" : "http:") + location) }
        let base = "\(isHTTPS ? "https" : "http")://\(authority)"
        if location.hasPrefix("/") { return try FetchURL(base + location) }
        let directory = target.prefix(while: { $0 != "?" })
        let parent = directory[..<(directory.lastIndex(of: "/").map { directory.index(after: $0) } ?? directory.endIndex)]
        return try FetchURL(base + parent + location)
    }

    /// The URL of `/.well-known/openid-configuration` under this issuer URL.
    public var openIDConfiguration: FetchURL {
        var path = String(target.prefix(while: { $0 != "?" }))
        while path.hasSuffix("/") { path.removeLast() }
        // Built from parts already validated, so it parses.
        return (try? FetchURL("\(isHTTPS ? "https" : "http")://\(authority)\(path)/.well-known/openid-configuration")) ?? self
    }
}
