@testable import TokenKit
import Testing

/// A byte stream over fixed bytes, served in small reads.
final class FixedStream: ByteStream {
    private var bytes: [UInt8]
    init(_ bytes: [UInt8]) { self.bytes = bytes }
    func write(_ bytes: [UInt8], deadline: Deadline) throws {}
    func read(upTo count: Int, deadline: Deadline) throws -> [UInt8] {
        let chunk = Array(bytes.prefix(min(count, 1000)))
        bytes.removeFirst(chunk.count)
        return chunk
    }
    func close() {}
}

/// Issue 13: the bounds of the JSON parser, the JWKS loader and the fetcher's response parser.
@Suite("issue 13: bounds (TokenKit)")
struct Issue13BoundsUnitTests {
    func head(fields: Int) -> [UInt8] {
        Array(("HTTP/1.1 200 OK\r\n" + (0..<fields).map { "x-\($0): v\r\n" }.joined() + "\r\n").utf8)
    }

    @Test("a response head with 128 header fields is read; 129 are refused")
    func headerCount() throws {
        var within = ResponseReader(FixedStream(head(fields: 128)), deadline: Deadline(seconds: 5))
        #expect(try within.readHead().headers.count == 128)
        var over = ResponseReader(FixedStream(head(fields: 129)), deadline: Deadline(seconds: 5))
        #expect { try over.readHead() } throws: { "\($0)".contains("more than 128 header fields") }
    }

    @Test("a response head over 64 KiB is refused")
    func headSize() throws {
        let bytes = Array(("HTTP/1.1 200 OK\r\nx: " + String(repeating: "a", count: 70_000) + "\r\n\r\n").utf8)
        var reader = ResponseReader(FixedStream(bytes), deadline: Deadline(seconds: 5))
        #expect { try reader.readHead() } throws: { "\($0)".contains("larger than 64 KiB") }
    }

    @Test("a body over the bound is refused whatever its framing: Content-Length, chunked, or until close")
    func bodySize() throws {
        let body = [UInt8](repeating: 0x61, count: 2049)
        let framings: [(String, [UInt8])] = [
            ("Content-Length: 2049\r\n", body),
            ("Transfer-Encoding: chunked\r\n", Array("801\r\n".utf8) + body + Array("\r\n0\r\n\r\n".utf8)),
            ("", body),
        ]
        for (field, payload) in framings {
            var reader = ResponseReader(FixedStream(Array("HTTP/1.1 200 OK\r\n\(field)\r\n".utf8) + payload), deadline: Deadline(seconds: 5))
            let headers = try reader.readHead().headers
            #expect(throws: (any Error).self, "\(field)") { try reader.readBody(headers: headers, maxBytes: 2048) }
            var fits = ResponseReader(FixedStream(Array("HTTP/1.1 200 OK\r\n\(field)\r\n".utf8) + payload), deadline: Deadline(seconds: 5))
            let fitsHeaders = try fits.readHead().headers
            #expect(try fits.readBody(headers: fitsHeaders, maxBytes: 2049) == body, "\(field)")
        }
    }

    @Test("JSON objects: 100000 members parse, 100001 are malformed_json")
    func jsonMembers() throws {
        func object(_ count: Int) -> String { "{" + (0..<count).map { "\"m\($0)\":0" }.joined(separator: ",") + "}" }
        #expect(try JSONParser.parse(object(JSONParser.maxObjectMembers)).objectValue?.count == 100_000)
        #expect { try JSONParser.parse(object(JSONParser.maxObjectMembers + 1)) } throws: {
            ($0 as? TokenError)?.code == .malformedJSON && "\($0)".contains("more than 100000 members")
        }
    }

    @Test("a JWKS with more than 1000 keys is refused before any key is imported")
    func jwksKeys() throws {
        let jwks = "{\"keys\":[" + Array(repeating: "{}", count: KeySource.maxJWKSKeys + 1).joined(separator: ",") + "]}"
        #expect { try KeySource.keys(from: Array(jwks.utf8)) } throws: {
            ($0 as? TokenError)?.code == .malformedKey && "\($0)".contains("at most 1000")
        }
    }
}
