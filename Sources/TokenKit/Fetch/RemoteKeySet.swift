/// Verification keys published as a JWKS: fetched from a URL (directly, or through an
/// OpenID issuer's `/.well-known/openid-configuration`), or read from a file; optionally kept
/// in a cache directory.
///
/// A cached set is used without a fetch while it is fresh (`Cache-Control: max-age`, else
/// ``defaultMaxAge``). A stale one is fetched again; when that fails, a set fetched less
/// than ``staleLimit`` ago is still used, with a note. A token whose `kid` is unknown triggers
/// one refresh per run (``refreshForUnknownKey()``), and none while the set in use was
/// fetched less than ``minimumRefreshInterval`` ago. One instance fetches at most twice, so
/// a batch of tokens costs one fetch.
///
/// Notes (stale fallbacks, failed refreshes) are collected for the caller to show; this type
/// prints nothing.
public final class RemoteKeySet: @unchecked Sendable {
    /// Where the keys come from.
    public enum Source: Sendable, Equatable {
        /// A JWKS URL.
        case jwks(FetchURL)
        /// An OpenID issuer: its configuration names the JWKS (`jwks_uri`) and the issuer.
        case issuer(FetchURL)
        /// A local JWKS (or any key file).
        case file(String)
    }

    /// How long a fetched set stays fresh without `Cache-Control: max-age`: 5 minutes.
    public static let defaultMaxAge: Int64 = 300
    /// The longest freshness honoured: 1 day.
    public static let maximumMaxAge: Int64 = 86_400
    /// How old a cached set may be and still be used when a fetch fails: 1 day.
    public static let staleLimit: Int64 = 86_400
    /// No refresh for an unknown `kid` until the set in use is this old: 30 seconds.
    public static let minimumRefreshInterval: Int64 = 30

    /// Where the keys come from.
    public let source: Source
    /// The keys.
    public private(set) var keys: [Key] = []
    /// The issuer the keys were found through (the `issuer` of the OpenID configuration), if any.
    public private(set) var issuer: String?
    /// How many times ``keys`` has been set: it changes when a refresh brings new keys.
    public private(set) var version = 0

    private let options: FetchOptions
    private let cache: JWKSCache?
    private let now: Int64
    private var fetchedAt: Int64?
    private var loadedFromCache = false
    private var refreshed = false
    private var notes: [String] = []

    /// The source named by a `--jwks`-style value (a URL or a file path) or an issuer URL.
    ///
    /// A URL whose path is `/`, or ends in `/.well-known/openid-configuration`, names an issuer.
    /// - Throws: ``TokenError/Code/invalidValue`` for a URL that cannot be fetched.
    public static func source(jwks: String?, issuerURL: String?) throws -> Source? {
        if let issuerURL {
            return .issuer(try FetchURL(issuerURL))
        }
        guard let jwks else { return nil }
        let lower = jwks.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return .file(jwks) }
        let url = try FetchURL(jwks)
        let path = url.target.prefix(while: { $0 != "?" })
        let suffix = "/.well-known/openid-configuration"
        if path.hasSuffix(suffix) {
            let configuration = jwks.prefix(while: { $0 != "?" && $0 != "#" })
            return .issuer(try FetchURL(String(configuration.dropLast(suffix.count))))
        }
        return path == "/" ? .issuer(url) : .jwks(url)
    }

    /// Loads the keys: from the file, from a fresh cached set, or by fetching.
    ///
    /// - Parameters:
    ///   - source: where the keys come from.
    ///   - options: how to fetch.
    ///   - cacheDirectory: where fetched sets are kept, or `nil` for no cache.
    ///   - now: the current time (Unix seconds), for freshness.
    /// - Throws: ``TokenError/Code/fetchFailed`` naming the URL and the cause; the errors of
    ///   ``KeySource/keys(from:password:)`` for a file.
    public init(source: Source, options: FetchOptions, cacheDirectory: String?, now: Int64) throws {
        self.source = source
        self.options = options
        self.cache = cacheDirectory.map(JWKSCache.init(directory:))
        self.now = now
        if case .file(let path) = source {
            keys = try KeySource.keys(from: FileAccess.readRegularFile(path, what: "JWKS file"))
            return
        }
        guard let cached = cache?.read(cacheKey), let cachedKeys = try? KeySource.keys(from: Array(cached.jwks.serialized.utf8))
        else {
            try refresh()
            return
        }
        let age = now - cached.fetched
        if age >= 0, age < cached.maxAge {
            use(cached, keys: cachedKeys)
            return
        }
        do {
            try refresh()
        } catch let error as TokenError where error.code == .fetchFailed && age >= 0 && age < Self.staleLimit {
            use(cached, keys: cachedKeys)
            notes.append("\(error.reason); using the JWKS cached \(TokenDuration.format(age)) ago")
        }
    }

    /// Fetches the set again for a token whose `kid` none of the keys has, once per instance
    /// and only when the set in use is at least ``minimumRefreshInterval`` old.
    ///
    /// - Returns: whether new keys were fetched. A failed fetch keeps the keys (with a note).
    public func refreshForUnknownKey() -> Bool {
        if case .file = source { return false }
        if refreshed { return false }
        if let fetchedAt, now - fetchedAt >= 0, now - fetchedAt < Self.minimumRefreshInterval {
            if loadedFromCache {
                refreshed = true
                notes.append("\(displayName): the token's kid is not in the JWKS cached \(TokenDuration.format(now - fetchedAt)) "
                    + "ago; not fetching again within \(Self.minimumRefreshInterval)s of the last fetch")
            }
            return false
        }
        refreshed = true
        do {
            try refresh()
            return true
        } catch let error as TokenError {
            notes.append("\(error.reason); keeping the JWKS fetched \(TokenDuration.format(max(0, now - (fetchedAt ?? now)))) ago")
            return false
        } catch {
            return false
        }
    }

    /// The notes gathered since the last call (stale cache used, refresh failed), emptied.
    public func takeNotes() -> [String] {
        defer { notes = [] }
        return notes
    }

    private var cacheKey: String {
        switch source {
        case .jwks(let url): return "jwks \(url)"
        case .issuer(let url): return "issuer \(url)"
        case .file(let path): return "file \(path)"
        }
    }

    private var displayName: String {
        switch source {
        case .jwks(let url), .issuer(let url): return "\(url)"
        case .file(let path): return path
        }
    }

    private func use(_ entry: JWKSCache.Entry, keys: [Key]) {
        self.keys = keys
        version += 1
        issuer = entry.issuer
        fetchedAt = entry.fetched
        loadedFromCache = true
    }

    /// Fetches the set (through the issuer's configuration when the source is an issuer),
    /// uses it, and stores it in the cache.
    private func refresh() throws {
        var issuerName: String?
        let jwksURL: FetchURL
        switch source {
        case .file:
            return
        case .jwks(let url):
            jwksURL = url
        case .issuer(let url):
            let configurationURL = url.openIDConfiguration
            let configuration = try Self.jsonObject(from: HTTPFetcher.get(configurationURL, options: options))
            guard let name = configuration["issuer"]?.stringValue else {
                throw TokenError(.fetchFailed, "\(configurationURL): the OpenID configuration has no issuer")
            }
            guard Self.trimmingSlash(name) == Self.trimmingSlash("\(url)") else {
                throw TokenError(.fetchFailed, "\(configurationURL): the OpenID configuration is for issuer '\(name.prefix(200))', not '\(url)'")
            }
            guard let uri = configuration["jwks_uri"]?.stringValue else {
                throw TokenError(.fetchFailed, "\(configurationURL): the OpenID configuration has no jwks_uri")
            }
            do {
                jwksURL = try FetchURL(uri)
            } catch let error as TokenError {
                throw TokenError(.fetchFailed, "\(configurationURL): jwks_uri: \(error.reason)")
            }
            if url.isHTTPS, !jwksURL.isHTTPS {
                throw TokenError(.fetchFailed, "\(configurationURL): refusing the plain http:// jwks_uri \(jwksURL)")
            }
            issuerName = name
        }
        let response = try HTTPFetcher.get(jwksURL, options: options)
        let jwks = try Self.jsonObject(from: response)
        guard case .array? = jwks["keys"] else {
            throw TokenError(.fetchFailed, "\(jwksURL): the body is not a JWKS (no \"keys\" array)")
        }
        let fetchedKeys: [Key]
        do {
            fetchedKeys = try KeySource.keys(from: response.body)
        } catch let error as TokenError {
            throw TokenError(.fetchFailed, "\(jwksURL): the JWKS is not usable: \(error.reason)")
        }
        // A published key set holds public keys; a fetched secret or private key is never trusted.
        if fetchedKeys.contains(where: \.isPrivate) {
            throw TokenError(.fetchFailed, "\(jwksURL): the JWKS holds a secret or private key; only public keys are used from a URL")
        }
        keys = fetchedKeys
        version += 1
        issuer = issuerName
        fetchedAt = now
        loadedFromCache = false
        let maxAge = min(response.cacheMaxAge ?? Self.defaultMaxAge, Self.maximumMaxAge)
        do {
            try cache?.write(JWKSCache.Entry(source: cacheKey, fetched: now, maxAge: maxAge, issuer: issuerName, jwks: jwks))
        } catch let error as TokenError {
            notes.append("could not cache the JWKS: \(error.reason)")
        }
    }

    private static func jsonObject(from response: HTTPResponse) throws -> JSONObject {
        do {
            return try JSONParser.parseObject(response.body, what: "the body", code: .fetchFailed)
        } catch let error as TokenError {
            throw TokenError(.fetchFailed, "\(response.url): \(error.reason)")
        }
    }

    private static func trimmingSlash(_ text: String) -> String {
        text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}

extension TokenVerifier {
    /// Verifies a token; when no key has its `kid` and the keys come from a ``RemoteKeySet``,
    /// refreshes the set once (see ``RemoteKeySet/refreshForUnknownKey()``) and verifies again
    /// with the new keys, which then stay in this verifier.
    public mutating func verify(_ text: String, refreshingFrom keySet: RemoteKeySet?) throws -> Verified {
        do {
            return try verify(text)
        } catch let error as TokenError where error.code == .keyNotFound {
            guard let keySet, keySet.refreshForUnknownKey() else { throw error }
            self = TokenVerifier(
                signatureVerifier: try SignatureVerifier(keys: keySet.keys, allowedAlgorithms: signatureVerifier.allowedAlgorithms),
                requirements: requirements, maxTokenBytes: maxTokenBytes)
            return try verify(text)
        }
    }
}
