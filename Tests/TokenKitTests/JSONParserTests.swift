import Testing
@testable import TokenKit

@Suite("JSON parser")
struct JSONParserTests {
    @Test("keeps member order and number text")
    func keepsOrderAndNumbers() throws {
        let value = try JSONParser.parse(#"{"b":1e3,"a":[true,null,"x"],"c":-0.50}"#)
        #expect(value.objectValue?.names == ["b", "a", "c"])
        #expect(value.serialized == #"{"b":1e3,"a":[true,null,"x"],"c":-0.50}"#)
    }

    @Test("rejects duplicate member names", arguments: [#"{"a":1,"a":2}"#, #"{"x":{"a":1,"a":1}}"#])
    func rejectsDuplicates(text: String) {
        #expect(throws: TokenError(.malformedJSON, "")) { try JSONParser.parse(text) }
    }

    @Test("rejects invalid grammar", arguments: [
        "", "{", "[1,]", "{\"a\":1,}", "01", "1.", "-", "+1", "1e", "'a'", "\"\\x\"", "[1] 2",
        "{a:1}", "\"\u{01}\"", "tru", "nul", "\"\\ud800\"", "\"\\udc00\"", "NaN", "[.5]",
    ])
    func rejectsInvalid(text: String) {
        #expect(throws: TokenError(.malformedJSON, "")) { try JSONParser.parse(text) }
    }

    @Test("rejects invalid UTF-8", arguments: [
        [0x22, 0xC0, 0xAF, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22], [0x22, 0xFF, 0x22], [0x22, 0xE2, 0x82, 0x22],
        [0x22, 0xF4, 0x90, 0x80, 0x80, 0x22],
    ] as [[UInt8]])
    func rejectsInvalidUTF8(bytes: [UInt8]) {
        #expect(throws: TokenError(.malformedJSON, "")) { try JSONParser.parse(bytes) }
    }

    @Test("accepts valid UTF-8 and escapes")
    func acceptsUnicode() throws {
        let value = try JSONParser.parse(Array("\"é€😀\\ud83d\\ude00\\u00e9\\n\"".utf8))
        #expect(value.stringValue == "é€😀😀é\n")
        #expect(value.serialized == "\"é€😀😀é\\n\"")
    }

    @Test("bounds nesting depth")
    func boundsDepth() throws {
        let ok = String(repeating: "[", count: 64) + String(repeating: "]", count: 64)
        #expect(try JSONParser.parse(ok).depth == 64)
        let deep = String(repeating: "[", count: 65) + String(repeating: "]", count: 65)
        #expect(throws: TokenError(.malformedJSON, "")) { try JSONParser.parse(deep) }
        let veryDeep = String(repeating: "{\"a\":", count: 100_000)
        #expect(throws: TokenError(.malformedJSON, "")) { try JSONParser.parse(veryDeep) }
    }

    @Test("pretty printing keeps order")
    func prettyPrints() throws {
        let value = try JSONParser.parse(#"{"z":[1,2],"a":{}}"#)
        #expect(value.prettyPrinted() == "{\n  \"z\": [\n    1,\n    2\n  ],\n  \"a\": {}\n}")
    }
}
