import Testing
@testable import TokenKit

/// `JSONStringRun`, which the parser, the claims scanner and the serializer use to skip
/// plain string bytes, against the definition written out byte by byte.
@Suite("JSONStringRun")
struct JSONStringRunTests {
    /// The first offset from `start` whose byte is a control, `"`, `\` or 0x80 and above.
    private func expectedEnd(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte >= 0x80 || byte == 0x22 || byte == 0x5C { return index }
            index += 1
        }
        return bytes.count
    }

    private func end(_ bytes: [UInt8], from start: Int) -> Int {
        bytes.withUnsafeBufferPointer { JSONStringRun.end(in: $0, from: start) }
    }

    @Test("every byte value, at every place of an eight-byte step and of the tail, ends a run exactly when it should")
    func everyByteEverywhere() {
        for value in 0...255 {
            for place in 0..<19 {
                var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 19)
                bytes[place] = UInt8(value)
                for start in [0, 1, 7, 8, 11] where start <= place {
                    #expect(end(bytes, from: start) == expectedEnd(bytes, from: start), "byte \(value) at \(place), from \(start)")
                }
            }
        }
    }

    @Test("random text of mostly plain bytes, from every start")
    func randomText() {
        var random = SplitMix64(state: 0x5157)
        let specials: [UInt8] = [0x00, 0x1F, 0x20, 0x21, 0x22, 0x5B, 0x5C, 0x5D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF]
        for _ in 0..<300 {
            let count = Int.random(in: 0...40, using: &random)
            let bytes = (0..<count).map { _ in
                Int.random(in: 0..<12, using: &random) == 0
                    ? specials.randomElement(using: &random)! : UInt8.random(in: 0x23...0x5B, using: &random)
            }
            for start in 0...count {
                #expect(end(bytes, from: start) == expectedEnd(bytes, from: start), "\(bytes), from \(start)")
            }
        }
    }

    @Test("an empty buffer and a start at the end give the end")
    func empty() {
        #expect(end([], from: 0) == 0)
        #expect(end(Array("abc".utf8), from: 3) == 3)
    }
}
