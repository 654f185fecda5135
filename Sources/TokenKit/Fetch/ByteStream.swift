import Glibc

/// Why a fetch failed, without the URL (the fetcher adds it).
struct FetchFailure: Error {
    let cause: String
    init(_ cause: String) { self.cause = cause }
}

/// A point in monotonic time after which a fetch gives up.
struct Deadline {
    private let end: Double
    /// The time limit, for messages.
    let seconds: Int64

    init(seconds: Int64) {
        self.seconds = seconds
        end = Deadline.now() + Double(seconds)
    }

    private static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// Milliseconds left (0 when passed), for `poll`.
    var remainingMilliseconds: Int32 {
        let left = (end - Deadline.now()) * 1000
        return left <= 0 ? 0 : Int32(min(left.rounded(.up), Double(Int32.max)))
    }

    var timedOut: FetchFailure { FetchFailure("timed out after \(seconds)s") }

    /// Waits until `fd` is ready for `events` (POLLIN or POLLOUT), or throws a timeout.
    func wait(_ fd: Int32, for events: Int32, during what: String) throws {
        while true {
            let left = remainingMilliseconds
            if left == 0 { throw FetchFailure("timed out after \(seconds)s \(what)") }
            var descriptor = pollfd(fd: fd, events: Int16(events), revents: 0)
            let ready = poll(&descriptor, 1, left)
            if ready > 0 { return }
            if ready < 0, errno != EINTR { throw FetchFailure("poll failed: \(String(cString: strerror(errno)))") }
        }
    }
}

/// A connected byte stream (plain TCP or TLS) read and written under a deadline.
protocol ByteStream: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: [UInt8], deadline: Deadline) throws
    /// Reads up to `count` bytes; an empty result means the peer closed the stream.
    func read(upTo count: Int, deadline: Deadline) throws -> [UInt8]
    /// Closes the stream (idempotent).
    func close()
}

/// A TCP connection.
final class SocketStream: ByteStream {
    let fd: Int32
    private var isOpen = true

    private init(fd: Int32) { self.fd = fd }
    deinit { close() }

    /// Connects to `host`:`port` (each resolved address in turn) before the deadline.
    ///
    /// - Parameter loopbackOnly: refuse addresses that are not loopback (for plain HTTP).
    static func connect(host: String, port: UInt16, deadline: Deadline, loopbackOnly: Bool) throws -> SocketStream {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw FetchFailure("cannot resolve host '\(host)': \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var failure = FetchFailure("no address for host '\(host)'")
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            entry = info.pointee.ai_next
            if loopbackOnly, !isLoopback(info.pointee.ai_addr) {
                failure = FetchFailure("'\(host)' is not a loopback address; plain http:// is only allowed to loopback")
                continue
            }
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue | SOCK_NONBLOCK.rawValue), 0)
            if fd < 0 { continue }
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 || errno == EINPROGRESS {
                do {
                    try deadline.wait(fd, for: Int32(POLLOUT), during: "connecting to \(host) port \(port)")
                } catch {
                    Glibc.close(fd)
                    throw error
                }
                var code: Int32 = 0
                var length = socklen_t(MemoryLayout<Int32>.size)
                getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length)
                if code == 0 { return SocketStream(fd: fd) }
                failure = FetchFailure("cannot connect to \(host) port \(port): \(String(cString: strerror(code)))")
            } else {
                failure = FetchFailure("cannot connect to \(host) port \(port): \(String(cString: strerror(errno)))")
            }
            Glibc.close(fd)
        }
        throw failure
    }

    private static func isLoopback(_ address: UnsafeMutablePointer<sockaddr>?) -> Bool {
        guard let address else { return false }
        switch Int32(address.pointee.sa_family) {
        case AF_INET:
            return address.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                UInt32(bigEndian: $0.pointee.sin_addr.s_addr) >> 24 == 127
            }
        case AF_INET6:
            return address.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                withUnsafeBytes(of: $0.pointee.sin6_addr) { bytes in
                    bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1
                }
            }
        default:
            return false
        }
    }

    func write(_ bytes: [UInt8], deadline: Deadline) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if sent > 0 {
                offset += sent
            } else if errno == EAGAIN || errno == EINTR {
                try deadline.wait(fd, for: Int32(POLLOUT), during: "sending the request")
            } else {
                throw FetchFailure("sending the request failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    func read(upTo count: Int, deadline: Deadline) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: count)
        while true {
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress!, count, 0) }
            if received >= 0 { return Array(buffer.prefix(received)) }
            if errno == EAGAIN || errno == EINTR {
                try deadline.wait(fd, for: Int32(POLLIN), during: "waiting for the response")
            } else {
                throw FetchFailure("reading the response failed: \(String(cString: strerror(errno)))")
            }
        }
    }

    func close() {
        if isOpen {
            isOpen = false
            Glibc.close(fd)
        }
    }
}
