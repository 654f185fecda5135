/// How the JWKS client fetches: trust, time and size limits, and the proxy environment.
public struct FetchOptions: Sendable {
    /// The default time limit for connecting and for a whole fetch: 5 seconds.
    public static let defaultTimeout: Int64 = 5
    /// The largest response body accepted: 1 MiB.
    public static let defaultMaxBodyBytes = 1 << 20
    /// The most redirects followed.
    public static let maxRedirects = 3

    /// A PEM file of CA certificates trusted instead of the system store; `nil` for the system store.
    public var caFile: String?
    /// Seconds allowed to connect, and for the whole fetch (redirects included).
    public var timeout: Int64 = defaultTimeout
    /// The largest response body accepted.
    public var maxBodyBytes = defaultMaxBodyBytes
    /// The environment the proxy variables (`HTTPS_PROXY`, `https_proxy`, `NO_PROXY`, `no_proxy`) are read from.
    public var environment: [String: String] = [:]

    /// Options with the defaults.
    public init(caFile: String? = nil, timeout: Int64 = defaultTimeout, environment: [String: String] = [:]) {
        self.caFile = caFile
        self.timeout = timeout
        self.environment = environment
    }
}
