internal import CLibSSL
import Glibc

/// A TLS client connection over a connected socket, through libssl: TLS 1.2 or later, the
/// peer's certificate chain checked against the system CA store (or the given CA file), and
/// its name checked against the host (`SSL_set1_host`), which is also sent as SNI.
final class TLSStream: ByteStream {
    private let socket: SocketStream
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    /// Performs the handshake over `socket` for `host` before the deadline.
    init(over socket: SocketStream, host: String, sendServerName: Bool, caFile: String?, deadline: Deadline) throws {
        if let caFile, !FileAccess.isRegularFile(caFile) {
            throw FetchFailure("cannot read CA certificates from '\(caFile)': not a readable file")
        }
        ERR_clear_error()
        OpenSSLRuntime.registerLegacyDigests()
        guard let method = TLS_client_method(), let context = SSL_CTX_new(method) else {
            throw FetchFailure("cannot create a TLS context: \(TLSStream.drainErrors())")
        }
        _ = CTokenShim_SSL_CTX_set_min_proto_version_TLS1_2(context)
        CTokenShim_SSL_CTX_ignore_unexpected_eof(context)
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        let loaded = caFile.map { SSL_CTX_load_verify_locations(context, $0, nil) } ?? SSL_CTX_set_default_verify_paths(context)
        guard loaded == 1, let ssl = SSL_new(context) else {
            SSL_CTX_free(context)
            let detail = TLSStream.drainErrors()
            throw FetchFailure(caFile.map { "cannot read CA certificates from '\($0)': \(detail)" }
                ?? "cannot load the system CA certificates: \(detail)")
        }
        self.socket = socket
        self.context = context
        self.ssl = ssl
        guard SSL_set_fd(ssl, socket.fd) == 1, SSL_set1_host(ssl, host) == 1 else {
            throw FetchFailure("cannot set up TLS for '\(host)': \(TLSStream.drainErrors())")
        }
        if sendServerName, CTokenShim_SSL_set_tlsext_host_name(ssl, host) != 1 {
            throw FetchFailure("cannot set the TLS server name '\(host)': \(TLSStream.drainErrors())")
        }
        while true {
            ERR_clear_error()
            let result = SSL_connect(ssl)
            if result == 1 { break }
            let error = SSL_get_error(ssl, result)
            if error == SSL_ERROR_WANT_READ {
                try deadline.wait(socket.fd, for: Int32(POLLIN), during: "in the TLS handshake")
            } else if error == SSL_ERROR_WANT_WRITE {
                try deadline.wait(socket.fd, for: Int32(POLLOUT), during: "in the TLS handshake")
            } else {
                let verify = SSL_get_verify_result(ssl)
                if verify != X509_V_OK {
                    let reason = String(cString: X509_verify_cert_error_string(verify))
                    let hint = verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH
                        ? " (the certificate is not for '\(host)')" : ""
                    _ = TLSStream.drainErrors()
                    throw FetchFailure("TLS certificate verification failed: \(reason)\(hint)")
                }
                let detail = TLSStream.drainErrors()
                throw FetchFailure("TLS handshake failed: \(detail.isEmpty ? "connection closed by the server" : detail)")
            }
        }
    }

    deinit {
        SSL_free(ssl)
        SSL_CTX_free(context)
        socket.close()
    }

    /// The reason strings of the OpenSSL error queue, which is emptied.
    private static func drainErrors() -> String {
        var reasons: [String] = []
        while case let code = ERR_get_error(), code != 0 {
            guard reasons.count < 2 else { continue }
            reasons.append(ERR_reason_error_string(code).map { String(cString: $0) } ?? OpenSSLError.codeText(code))
        }
        return reasons.joined(separator: "; ")
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let written = bytes.withUnsafeBytes { SSL_write(ssl, $0.baseAddress! + offset, Int32($0.count - offset)) }
            if written > 0 {
                offset += Int(written)
                continue
            }
            let error = SSL_get_error(ssl, written)
            if error == SSL_ERROR_WANT_READ {
                try deadline.wait(socket.fd, for: Int32(POLLIN), during: "sending the request")
            } else if error == SSL_ERROR_WANT_WRITE {
                try deadline.wait(socket.fd, for: Int32(POLLOUT), during: "sending the request")
            } else {
                throw FetchFailure("sending the request over TLS failed: \(TLSStream.drainErrors())")
            }
        }
    }

    func read(upTo count: Int, deadline: Deadline) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            ERR_clear_error()
            let received = buffer.withUnsafeMutableBytes { SSL_read(ssl, $0.baseAddress!, Int32(count)) }
            if received > 0 { return Array(buffer.prefix(Int(received))) }
            let error = SSL_get_error(ssl, received)
            switch error {
            case SSL_ERROR_WANT_READ:
                try deadline.wait(socket.fd, for: Int32(POLLIN), during: "waiting for the response")
            case SSL_ERROR_WANT_WRITE:
                try deadline.wait(socket.fd, for: Int32(POLLOUT), during: "waiting for the response")
            case SSL_ERROR_ZERO_RETURN:
                return []
            case SSL_ERROR_SYSCALL where ERR_peek_error() == 0:
                return []
            default:
                throw FetchFailure("reading the response over TLS failed: \(TLSStream.drainErrors())")
            }
        }
    }

    func close() {
        socket.close()
    }
}
