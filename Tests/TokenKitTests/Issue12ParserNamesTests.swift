import Testing
@testable import TokenKit

/// The parser's short-name path (names of up to 15 plain bytes compared packed, well-known
/// names handed out from ``WellKnownNames``) finds the same duplicates and gives the same
/// strings as the general path, whatever mix of spellings an object has.
@Suite("Issue 12 parser member names")
struct Issue12ParserNamesTests {
    /// A member name as written in JSON, and the name it means.
    struct Spelling {
        let json: String
        let meaning: String
    }

    /// Pairs of spellings of one name (plain, escaped, at and past the 15-byte packing limit,
    /// non-ASCII, well known), and names that differ from them by one byte or in length.
    static let spellings: [Spelling] = [
        Spelling(json: #""a""#, meaning: "a"),
        Spelling(json: #""\u0061""#, meaning: "a"),
        Spelling(json: #""iss""#, meaning: "iss"),
        Spelling(json: #""i\u0073s""#, meaning: "iss"),
        Spelling(json: #""isS""#, meaning: "isS"),
        Spelling(json: #""abcdefghijklmno""#, meaning: "abcdefghijklmno"),
        Spelling(json: #""abcdefghijklmn\u006f""#, meaning: "abcdefghijklmno"),
        Spelling(json: #""abcdefghijklmnop""#, meaning: "abcdefghijklmnop"),
        Spelling(json: #""abcdefghijklmnoq""#, meaning: "abcdefghijklmnoq"),
        Spelling(json: #""é""#, meaning: "é"),
        Spelling(json: #""\u00e9""#, meaning: "é"),
        Spelling(json: #""e\u0301""#, meaning: "e\u{301}"),
        Spelling(json: #""x5t#S256""#, meaning: "x5t#S256"),
        Spelling(json: #""""#, meaning: ""),
        Spelling(json: #""\u0000""#, meaning: "\u{0}"),
        Spelling(json: #""a\/b""#, meaning: "a/b"),
        Spelling(json: #""a/b""#, meaning: "a/b"),
    ]

    /// An object of `fillers` distinct members, then the two names.
    static func object(fillers: Int, _ first: Spelling, _ second: Spelling) -> String {
        let filler = (0..<fillers).map { #""filler-\#($0)":\#($0),"# }.joined()
        return "{" + filler + first.json + ":1," + second.json + ":2}"
    }

    @Test("a pair of names is a duplicate exactly when their bytes are equal, before and past 16 members")
    func duplicates() throws {
        for fillers in [0, 1, 14, 15, 16, 20] {
            for first in Self.spellings {
                for second in Self.spellings {
                    let text = Self.object(fillers: fillers, first, second)
                    let same = Array(first.meaning.utf8) == Array(second.meaning.utf8)
                    let parsed = try? JSONParser.parse(text)
                    if same {
                        #expect(parsed == nil, "\(text) has a duplicate name")
                    } else {
                        let names = try #require(parsed?.objectValue?.names, "\(text) parses")
                        #expect(names.count == fillers + 2)
                        #expect(names.suffix(2).map { Array($0.utf8) } == [Array(first.meaning.utf8), Array(second.meaning.utf8)])
                    }
                }
            }
        }
    }

    @Test("a duplicate in a nested object is found while the outer object's names are packed")
    func nestedDuplicates() {
        #expect(throws: TokenError.self) { try JSONParser.parse(#"{"a":{"b":1,"\u0062":2}}"#) }
        #expect(throws: TokenError.self) { try JSONParser.parse(#"{"a":{"b":1},"c":{"d":1,"d":2}}"#) }
        #expect((try? JSONParser.parse(#"{"a":{"a":1},"b":{"a":2}}"#)) != nil)
    }

    @Test("every well-known name comes back as itself, and other names as none")
    func wellKnownNames() throws {
        for name in WellKnownNames.names {
            let packed = try #require(name.withUTF8Bytes { PackedName($0) }, "\(name) packs")
            #expect(WellKnownNames.string(for: packed).map { Array($0.utf8) } == Array(name.utf8))
        }
        #expect(Set(WellKnownNames.names).count == WellKnownNames.names.count)
        for other in ["", "is", "isss", "ISS", "iss ", "roles2", "x5t#s256", "subject"] {
            let packed = try #require(other.withUTF8Bytes { PackedName($0) })
            #expect(WellKnownNames.string(for: packed) == nil, "\(other)")
        }
    }

    @Test("a string from up to 15 bytes or more is String(decoding:as:)'s, invalid UTF-8 included")
    func stringFromBytes() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<2_000 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let count = Int(state % 21)
            let bytes: [UInt8] = (0..<count).map { index in
                let byte = UInt8(truncatingIfNeeded: state >> (UInt64(index) % 8 * 8))
                return state & 1 == 0 ? byte & 0x7F : byte
            }
            let made = bytes.withUnsafeBufferPointer { String(utf8Bytes: $0) }
            #expect(Array(made.utf8) == Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
        }
    }
}
