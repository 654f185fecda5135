import Glibc

/// A small HTTPS GET client over libssl, for fetching a JWKS and an OpenID configuration.
///
/// HTTPS with certificate and host-name verification (TLS 1.2 or later); plain HTTP only to
/// loopback; one time limit for connecting and the whole fetch; a body size cap; at most
/// ``FetchOptions/maxRedirects`` redirects, never from HTTPS to HTTP; `Content-Length`,
/// chunked and close-delimited bodies; `HTTPS_PROXY` through a CONNECT tunnel.
public enum HTTPFetcher {
    /// Fetches `url` and returns its `200 OK` response.
    ///
    /// - Throws: ``TokenError/Code/fetchFailed`` with one line naming the URL and the cause
    ///   (DNS, connect, TLS, certificate, host name, timeout, size, status, redirect);
    ///   ``TokenError/Code/invalidValue`` for a bad proxy variable.
    public static func get(_ url: FetchURL, options: FetchOptions) throws -> HTTPResponse {
        signal(SIGPIPE, SIG_IGN)
        let deadline = Deadline(seconds: options.timeout)
        var current = url
        var redirects = 0
        func failure(_ cause: String) -> TokenError {
            let name = current == url ? "\(url)" : "\(url) (redirected to \(current))"
            return TokenError(.fetchFailed, "\(name): \(cause)")
        }
        while true {
            if !current.isHTTPS, !current.isLoopback {
                throw failure("plain http:// is only allowed to loopback hosts; use https://")
            }
            let response: HTTPResponse
            do {
                response = try exchange(current, options: options, deadline: deadline)
            } catch let error as FetchFailure {
                throw failure(error.cause)
            }
            switch response.status {
            case 200:
                return response
            case 301, 302, 303, 307, 308:
                guard let location = response.header("location") else {
                    throw failure("HTTP \(response.status) redirect without a Location")
                }
                guard let next = try? current.resolving(location) else {
                    throw failure("HTTP \(response.status) redirect to an invalid URL '\(location.prefix(200))'")
                }
                if current.isHTTPS, !next.isHTTPS { throw failure("refusing the redirect from HTTPS to \(next)") }
                redirects += 1
                if redirects > FetchOptions.maxRedirects {
                    throw failure("more than \(FetchOptions.maxRedirects) redirects (the next one to \(next))")
                }
                current = next
            default:
                throw failure("HTTP \(response.status) (expected 200)")
            }
        }
    }

    /// One request and its response, on a new connection.
    private static func exchange(_ url: FetchURL, options: FetchOptions, deadline: Deadline) throws -> HTTPResponse {
        let stream: ByteStream
        if url.isHTTPS {
            let socket: SocketStream
            if let proxy = try ProxyChoice.proxy(for: url, environment: options.environment) {
                socket = try SocketStream.connect(host: proxy.host, port: proxy.port, deadline: deadline, loopbackOnly: false)
                try openTunnel(socket, to: url, through: proxy, deadline: deadline)
            } else {
                socket = try SocketStream.connect(host: url.host, port: url.port, deadline: deadline, loopbackOnly: false)
            }
            stream = try TLSStream(
                over: socket, host: url.host, sendServerName: !url.isIPAddress, caFile: options.caFile, deadline: deadline)
        } else {
            stream = try SocketStream.connect(host: url.host, port: url.port, deadline: deadline, loopbackOnly: true)
        }
        defer { stream.close() }
        let request = "GET \(url.target) HTTP/1.1\r\nHost: \(url.authority)\r\nUser-Agent: tokenctl\r\n"
            + "Accept: application/json\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
        try stream.write(Array(request.utf8), deadline: deadline)
        var reader = ResponseReader(stream, deadline: deadline)
        let (status, headers) = try reader.readHead()
        let body = status == 200 ? try reader.readBody(headers: headers, maxBytes: options.maxBodyBytes) : []
        return HTTPResponse(url: url, status: status, headers: headers, body: body)
    }

    /// Asks an HTTP proxy for a tunnel to the URL's host and port (`CONNECT`).
    private static func openTunnel(_ socket: SocketStream, to url: FetchURL, through proxy: FetchURL, deadline: Deadline) throws {
        let target = "\(url.host.contains(":") ? "[\(url.host)]" : url.host):\(url.port)"
        try socket.write(Array("CONNECT \(target) HTTP/1.1\r\nHost: \(target)\r\n\r\n".utf8), deadline: deadline)
        var reader = ResponseReader(socket, deadline: deadline)
        let status: Int
        do {
            status = try reader.readHead().status
        } catch let error as FetchFailure {
            throw FetchFailure("proxy \(proxy.authority): \(error.cause)")
        }
        guard (200..<300).contains(status) else {
            throw FetchFailure("proxy \(proxy.authority) refused the tunnel to \(target): HTTP \(status)")
        }
    }
}
