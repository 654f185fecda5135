@testable import TokenKit
import Testing

/// The random base62 source of API keys: digits only from the alphabet, every digit drawn,
/// pool refills across calls (even with a one-byte pool).
@Suite("RandomBase62")
struct RandomBase62Tests {
    @Test("appends exactly the count asked, only base62 digits, every digit seen", arguments: [1, 7, 4096])
    func digits(chunk: Int) throws {
        var random = RandomBase62(chunk: chunk)
        var out: [UInt8] = [UInt8(ascii: "x")]
        try random.append(6200, to: &out)
        #expect(out.count == 6201)
        #expect(out.first == UInt8(ascii: "x"))
        let alphabet = Set(Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8))
        #expect(out.dropFirst().allSatisfy(alphabet.contains))
        // 6,200 draws of 62 equally likely digits: each is expected 100 times; missing one has
        // probability about 62 × e^-100.
        #expect(Set(out.dropFirst()) == alphabet)
        let ids = try random.characters(8)
        #expect(ids.count == 8 && ids.allSatisfy(alphabet.contains))
    }
}
