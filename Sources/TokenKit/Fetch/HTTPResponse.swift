/// A response to a GET: status, header fields and body.
public struct HTTPResponse: Sendable {
    /// The URL that answered (after redirects).
    public let url: FetchURL
    /// The status code.
    public let status: Int
    /// The header fields, names lower-cased, in order.
    public let headers: [(name: String, value: String)]
    /// The body (empty for redirects).
    public let body: [UInt8]

    /// The first value of a header field (`name` lower-case).
    public func header(_ name: String) -> String? { headers.first { $0.name == name }?.value }

    /// The lifetime `Cache-Control` gives the response: `max-age` seconds, 0 for `no-store` or
    /// `no-cache`, `nil` when it says neither.
    public var cacheMaxAge: Int64? {
        guard let value = header("cache-control") else { return nil }
        for directive in value.lowercased().split(separator: ",") {
            let text = directive.filter { $0 != " " && $0 != "\t" }
            if text == "no-store" || text == "no-cache" { return 0 }
            if text.hasPrefix("max-age=") {
                return Int64(text.dropFirst(8).filter { $0 != "\"" }).map { max(0, $0) }
            }
        }
        return nil
    }
}

/// Reads an HTTP/1.1 response from a stream: the head, then a body framed by
/// `Transfer-Encoding: chunked`, `Content-Length`, or the end of the connection.
struct ResponseReader {
    private let stream: ByteStream
    private let deadline: Deadline
    private var buffer: [UInt8] = []
    private var position = 0

    /// The largest response head accepted.
    static let maxHeadBytes = 64 << 10
    /// The most header fields accepted in a response head.
    static let maxHeaderFields = 128

    init(_ stream: ByteStream, deadline: Deadline) {
        self.stream = stream
        self.deadline = deadline
    }

    /// Reads more bytes into the buffer; false at the end of the stream.
    private mutating func fill() throws -> Bool {
        if position > 0, position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        let bytes = try stream.read(upTo: 16 << 10, deadline: deadline)
        if bytes.isEmpty { return false }
        buffer += bytes
        return true
    }

    /// The status code and header fields.
    mutating func readHead() throws -> (status: Int, headers: [(name: String, value: String)]) {
        var end: Int?
        var searchFrom = position
        while end == nil {
            if buffer.count - position >= 4 {
                for index in max(searchFrom, position)...(buffer.count - 4)
                where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
                    end = index
                    break
                }
                searchFrom = buffer.count - 3
            }
            if end != nil { break }
            if buffer.count - position > Self.maxHeadBytes { throw FetchFailure("the response head is larger than 64 KiB") }
            guard try fill() else {
                throw FetchFailure(buffer.count == position
                    ? "the server closed the connection without a response" : "the response head is incomplete")
            }
        }
        let head = String(decoding: buffer[position..<end!], as: UTF8.self)
        position = end! + 4
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1]) else {
            throw FetchFailure("the response is not HTTP/1.x (status line '\(statusLine.prefix(60))')")
        }
        if lines.count > Self.maxHeaderFields {
            throw FetchFailure("the response has more than \(Self.maxHeaderFields) header fields")
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw FetchFailure("malformed response header line") }
            let value = line[line.index(after: colon)...].drop(while: { $0 == " " || $0 == "\t" })
            headers.append((line[..<colon].lowercased(), String(value.reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())))
        }
        return (status, headers)
    }

    /// The body, framed as the header fields say, at most `maxBytes` long.
    mutating func readBody(headers: [(name: String, value: String)], maxBytes: Int) throws -> [UInt8] {
        let tooLarge = FetchFailure("the response body is larger than \(maxBytes >> 10) KiB")
        if let encoding = headers.first(where: { $0.name == "transfer-encoding" })?.value.lowercased() {
            guard encoding.hasSuffix("chunked") else { throw FetchFailure("unsupported transfer encoding '\(encoding)'") }
            var body: [UInt8] = []
            while true {
                let line = try readLine()
                let sizeText = line.prefix(while: { $0 != ";" }).filter { $0 != " " && $0 != "\t" }
                // Hex digits only: Int(_:radix:) would also take a sign ("-5", found by fuzzing).
                guard !sizeText.isEmpty, sizeText.count <= 16, sizeText.utf8.allSatisfy({ HexDigit.value($0) != nil }),
                      let size = Int(sizeText, radix: 16) else {
                    throw FetchFailure("malformed chunked body")
                }
                if size == 0 {
                    while try !readLine().isEmpty {}
                    return body
                }
                if size > maxBytes - body.count { throw tooLarge }
                body += try readExactly(size)
                guard try readLine().isEmpty else { throw FetchFailure("malformed chunked body") }
            }
        }
        let lengths = headers.filter { $0.name == "content-length" }.map(\.value)
        if let lengthText = lengths.first {
            // RFC 9110 section 8.6: 1*DIGIT (no sign, no space, no list), and repeated fields must agree.
            guard !lengthText.isEmpty, lengthText.utf8.count <= 18, lengthText.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                  lengths.allSatisfy({ $0 == lengthText }), let length = Int(lengthText) else {
                throw FetchFailure("bad Content-Length '\(lengthText.prefix(40))'")
            }
            if length > maxBytes { throw tooLarge }
            return try readExactly(length)
        }
        while true {
            if buffer.count - position > maxBytes { throw tooLarge }
            guard try fill() else { return Array(buffer[position...]) }
        }
    }

    private mutating func readExactly(_ count: Int) throws -> [UInt8] {
        while buffer.count - position < count {
            guard try fill() else {
                throw FetchFailure("the connection closed after \(buffer.count - position) of \(count) body bytes")
            }
        }
        defer { position += count }
        return Array(buffer[position..<(position + count)])
    }

    private mutating func readLine() throws -> String {
        while true {
            if let index = buffer[position...].firstIndex(of: 10) {
                var line = buffer[position..<index]
                if line.last == 13 { line = line.dropLast() }
                position = index + 1
                return String(decoding: line, as: UTF8.self)
            }
            if buffer.count - position > 4096 { throw FetchFailure("malformed chunked body") }
            guard try fill() else { throw FetchFailure("the connection closed in the middle of a chunked body") }
        }
    }
}
