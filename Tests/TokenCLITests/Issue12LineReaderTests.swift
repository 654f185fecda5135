import Foundation
import Testing
@testable import TokenCLI

/// Issue 12: standard input's lines are lent in place from one read buffer. Whatever the
/// chunk boundaries, the lines are those a plain split of the whole input gives.
@Suite("Issue 12 line reader")
struct Issue12LineReaderTests {
    /// Writes `bytes` to a temporary file and returns an input reading it, and the file's path.
    private func input(_ bytes: [UInt8]) throws -> (FileDescriptorInput, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tokenctl-lines-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        let fd = open(url.path, O_RDONLY)
        try #require(fd >= 0)
        return (FileDescriptorInput(fd: fd, ownsDescriptor: true), url)
    }

    /// Every line through `withNextLine`, as copies; an over-long line as its error's length.
    private func readAll(_ input: FileDescriptorInput, maxBytes: Int) throws -> [Result<[UInt8], InputLineTooLong>] {
        var lines: [Result<[UInt8], InputLineTooLong>] = []
        while true {
            do {
                guard let line = try input.withNextLine(maxBytes: maxBytes, { Array($0) }) else { return lines }
                lines.append(.success(line))
            } catch let error as InputLineTooLong {
                lines.append(.failure(error))
            }
        }
    }

    @Test("lines across many 64 KiB reads, with CRLF, empty lines and no final line break")
    func linesAcrossReads() throws {
        var generator = SystemRandomNumberGenerator()
        var expected: [[UInt8]] = []
        var text: [UInt8] = []
        for index in 0..<3_000 {
            let length = index % 97 == 0 ? 0 : Int.random(in: 1...400, using: &generator)
            let line = (0..<length).map { _ in UInt8.random(in: 0x21...0x7E, using: &generator) }
            expected.append(line)
            text += line
            text += index % 5 == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        text.removeLast()  // the last line ends without a line break
        if text.last == 0x0D { text.removeLast() }
        let (reader, url) = try input(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let lines = try readAll(reader, maxBytes: 1_000)
        #expect(lines.count == expected.count)
        for (index, line) in lines.enumerated() where index < expected.count {
            guard case .success(let bytes) = line, bytes == expected[index] else {
                Issue.record("line \(index + 1) differs")
                return
            }
        }
    }

    @Test("an over-long line is skipped with its length, and the next line is read whole")
    func overLongLine() throws {
        let long = [UInt8](repeating: UInt8(ascii: "a"), count: 200_000)
        let text = Array("first\n".utf8) + long + Array("\nlast\n".utf8)
        let (reader, url) = try input(text)
        defer { try? FileManager.default.removeItem(at: url) }
        let lines = try readAll(reader, maxBytes: 1_000)
        #expect(lines.count == 3)
        guard lines.count == 3 else { return }
        #expect((try? lines[0].get()) == Array("first".utf8))
        if case .failure(let error) = lines[1] {
            #expect(error.length == 200_000)
            #expect(error.limit == 1_000)
        } else {
            Issue.record("the long line was not refused")
        }
        #expect((try? lines[2].get()) == Array("last".utf8))
    }

    /// Every line through blocks as `--jobs` reads them: whole lines at once
    /// (``LineBlock/appendWholeLines(from:firstNumber:maxBytes:tooLong:)``), else one line;
    /// an over-long line as its error's length, with its number.
    private func readInBlocks(_ input: ByteInput, maxBytes: Int) throws -> [(Int, Result<[UInt8], InputLineTooLong>)] {
        var lines: [(Int, Result<[UInt8], InputLineTooLong>)] = []
        var number = 0
        while true {
            var block = LineBlock<(Int, InputLineTooLong)>()
            var ended = false
            while block.hasRoom, !ended {
                let taken = try block.appendWholeLines(from: input, firstNumber: number + 1, maxBytes: maxBytes) { ($0, $1) }
                number += taken
                if taken > 0 { continue }
                let lineNumber = number + 1
                do {
                    let read: Void? = try input.withNextLine(maxBytes: maxBytes) { block.appendLine(number: lineNumber, bytes: $0) }
                    if read == nil { ended = true } else { number = lineNumber }
                } catch let error as InputLineTooLong {
                    block.append((lineNumber, error))
                    number = lineNumber
                }
            }
            for offset in 0..<block.count {
                block.withInput(at: offset) { input in
                    switch input {
                    case .line(let number, let bytes): lines.append((number, .success(Array(bytes))))
                    case .made(let (number, error)): lines.append((number, .failure(error)))
                    }
                }
            }
            if ended { return lines }
        }
    }

    @Test("blocks of whole lines read at once give the lines a plain split gives, numbered in order, from a file and from memory")
    func wholeLinesInBlocks() throws {
        var generator = SystemRandomNumberGenerator()
        var expected: [Result<[UInt8], InputLineTooLong>] = []
        var text: [UInt8] = []
        for index in 0..<4_000 {
            // Empty lines, short and token-sized lines, lines over the bound (2,000 bytes), and
            // lines longer than a read (64 KiB) or than a block (32 KiB).
            let length = switch index % 101 {
            case 0: 0
            case 1: Int.random(in: 2_001...40_000, using: &generator)
            case 2 where index % 3 == 0: 70_000
            default: Int.random(in: 1...600, using: &generator)
            }
            let line = (0..<length).map { _ in UInt8.random(in: 0x21...0x7E, using: &generator) }
            expected.append(length > 2_000 ? .failure(InputLineTooLong(length: length, limit: 2_000)) : .success(line))
            text += line
            text += index % 7 == 0 ? [0x0D, 0x0A] : [0x0A]
        }
        text.removeLast()  // the last line ends without a line break
        if text.last == 0x0D { text.removeLast() }
        let (reader, url) = try input(text)
        defer { try? FileManager.default.removeItem(at: url) }
        for source in [reader as ByteInput, BufferInput(text)] {
            let lines = try readInBlocks(source, maxBytes: 2_000)
            #expect(lines.count == expected.count)
            for (index, (number, line)) in lines.enumerated() where index < expected.count {
                let same = switch (line, expected[index]) {
                case (.success(let bytes), .success(let wanted)): bytes == wanted
                case (.failure(let error), .failure(let wanted)): error.length == wanted.length && error.limit == wanted.limit
                default: false
                }
                guard same, number == index + 1 else {
                    Issue.record("line \(index + 1) (numbered \(number)) differs, from \(type(of: source)): \(line.map(\.count)) against \(expected[index].map(\.count))")
                    return
                }
            }
        }
    }

    @Test("the rest after the lines is read whole by readAll")
    func readAllAfterLines() throws {
        let rest = (0..<150_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        let (reader, url) = try input(Array("one\n".utf8) + rest)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect(try reader.readLine(maxBytes: 100) == Array("one".utf8))
        #expect(try reader.readAll(maxBytes: 1 << 20) == rest)
    }
}
