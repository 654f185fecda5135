import Testing
import TokenKit

/// ``ByteWriter``, the output buffer of the byte renderers, against an array given the same
/// appends: any difference would change what every command prints.
@Suite("ByteWriter holds what an array given the same appends holds")
struct ByteWriterTests {
    @Test("random appends of every kind, across many growths, truncations and reuses")
    func matchesArray() {
        var random = SplitMix64(state: 0xB17E)
        for round in 0..<200 {
            var writer = ByteWriter(capacity: Int(random.next() % 40))
            var expected: [UInt8] = []
            for _ in 0..<Int(random.next() % 120) {
                let length = Int(random.next() % 70)
                let bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) }
                switch random.next() % 8 {
                case 0:
                    writer.append(bytes.first ?? 0x41)
                    expected.append(bytes.first ?? 0x41)
                case 1:
                    bytes.withUnsafeBufferPointer { writer.append(contentsOf: $0) }
                    expected += bytes
                case 2:
                    writer.append(contentsOf: bytes)
                    expected += bytes
                case 3:
                    let from = length / 3
                    bytes.withUnsafeBufferPointer { writer.append(contentsOf: UnsafeBufferPointer(rebasing: $0[from...])) }
                    expected += bytes[from...]
                case 4:
                    let text = String(decoding: bytes.map { $0 & 0x7F }, as: UTF8.self) + "é\u{1F600}"
                    writer.append(contentsOf: text)
                    expected += Array(text.utf8)
                case 5:
                    writer.append(contentsOf: "\"name\":")
                    expected += Array("\"name\":".utf8)
                case 6:
                    writer.append(0x20, count: length - 3)  // a negative count appends nothing
                    expected += Array(repeating: 0x20, count: max(0, length - 3))
                default:
                    let keep = Int(random.next() % UInt64(expected.count + 3))
                    writer.truncate(to: keep)
                    expected = Array(expected.prefix(keep))
                }
                #expect(writer.count == expected.count, "round \(round)")
            }
            #expect(writer.bytes == expected, "round \(round)")
            #expect(writer.isEmpty == expected.isEmpty)
            if !expected.isEmpty {
                let offset = Int(random.next() % UInt64(expected.count))
                #expect(writer.withBytes(from: offset) { Array($0) } == Array(expected[offset...]))
            }
            writer.removeAll()
            #expect(writer.count == 0 && writer.withBytes { $0.count } == 0)
            writer.append(contentsOf: "again")
            #expect(writer.string == "again")
        }
    }

    @Test("string repairs invalid UTF-8 as String(decoding:as:) does")
    func stringOfInvalidUTF8() {
        var writer = ByteWriter()
        let bytes: [UInt8] = [0x61, 0xFF, 0xC3, 0xA9, 0xE2, 0x82]
        writer.append(contentsOf: bytes)
        #expect(writer.string == String(decoding: bytes, as: UTF8.self))
    }
}
