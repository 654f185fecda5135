@testable import TokenKit
import Testing

/// Issue 13: what the libFuzzer targets (Fuzz/) found, as unit tests of the function that
/// failed. Each input is the minimised reproducer, also kept in the target's seed corpus
/// (Fuzz/Corpus/<target>/regression-*).
@Suite("issue 13: fuzz regressions (TokenKit)")
struct Issue13FuzzRegressionUnitTests {
    /// Reads the head and the body of a complete response, at most `maxBytes` of body.
    func body(_ response: String, maxBytes: Int = 4096) throws -> [UInt8] {
        var reader = ResponseReader(FixedStream(Array(response.utf8)), deadline: Deadline(seconds: 5))
        let head = try reader.readHead()
        return try reader.readBody(headers: head.headers, maxBytes: maxBytes)
    }

    @Test("fuzz http: a chunk size line with a sign is malformed (it was read as a negative count and trapped)")
    func signedChunkSize() throws {
        let chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
        // The fuzzer's reproducer (Fuzz/Corpus/http/regression-negative-chunk-size), minimised by hand.
        for size in ["-5", "+5", "-0", "- 5"] {
            #expect(throws: FetchFailure.self, "\(size)") { try body(chunked + "\(size)\r\nhello\r\n0\r\n\r\n") }
            #expect { try body(chunked + "\(size)\r\nhello\r\n0\r\n\r\n") } throws: { "\($0)".contains("malformed chunked body") }
        }
        #expect(try body(chunked + "5\r\nhello\r\n0\r\n\r\n") == Array("hello".utf8))
    }

    @Test("fuzz http: a chunk size near Int.max after a first chunk is over the bound (the bound check overflowed)")
    func hugeChunkSize() throws {
        let response = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\n{\r\n7fffffffffffffff\r\nx\r\n0\r\n\r\n"
        #expect { try body(response) } throws: { "\($0)".contains("larger than 4 KiB") }
    }

    @Test("http: Content-Length is digits only (RFC 9110 1*DIGIT), and repeated fields must agree")
    func contentLengthDigitsOnly() throws {
        let head = "HTTP/1.1 200 OK\r\n"
        for length in ["+5", "-5", " 5x", "5 5", "0x5", "5,5", "", "99999999999999999999"] {
            #expect { try body(head + "Content-Length: \(length)\r\n\r\nhello") } throws: { "\($0)".contains("bad Content-Length") }
        }
        #expect { try body(head + "Content-Length: 5\r\nContent-Length: 4\r\n\r\nhello") } throws: { "\($0)".contains("bad Content-Length") }
        #expect(try body(head + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello") == Array("hello".utf8))
        #expect(try body(head + "Content-Length: 5\r\n\r\nhello") == Array("hello".utf8))
    }
}
