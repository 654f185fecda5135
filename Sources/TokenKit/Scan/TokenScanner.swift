/// One candidate found by a scan: its text and its place.
public struct ScanOccurrence: Hashable, Sendable {
    /// The candidate exactly as found (a JWT, or something shaped like one).
    public var text: String
    /// Where it was.
    public var place: ScanPlace

    /// Creates an occurrence.
    public init(text: String, place: ScanPlace) {
        self.text = text
        self.place = place
    }
}

/// Finds JWT-shaped candidates in free text fed in chunks of any size, line by line, with
/// memory bounded by ``maxLineBytes`` whatever the length of the input.
///
/// Only lines holding `eyJ` are looked at closely (found with `memchr`), so ordinary log
/// text costs little more than counting its newlines. A line longer than ``maxLineBytes``
/// is scanned in pieces cut between tokens; the pieces after the first lose the header
/// context of the line's start.
///
/// ```swift
/// var scanner = TokenScanner(source: "app.log")
/// scanner.feed(chunk) { occurrence in collector.add(occurrence) }
/// scanner.finish { occurrence in collector.add(occurrence) }
/// ```
public struct TokenScanner {
    /// The input's name in places (`app.log`, `stdin`).
    public let source: String
    /// The longest line kept whole.
    public let maxLineBytes: Int
    private var pending: [UInt8] = []
    private var lineNumber = 1

    /// The line length kept whole by default: 256 KiB (the default token bound) + 64 KiB.
    public static let defaultMaxLineBytes = CompactToken.defaultMaxBytes + 64 * 1024

    /// Creates a scanner for one input.
    ///
    /// - Parameters:
    ///   - source: the input's name in places.
    ///   - maxLineBytes: the longest line kept whole (at least 1 KiB).
    public init(source: String, maxLineBytes: Int = TokenScanner.defaultMaxLineBytes) {
        self.source = source
        self.maxLineBytes = max(maxLineBytes, 1024)
    }

    /// Scans the next bytes of the input; a line cut by the end of the chunk is finished by
    /// a later call or by ``finish(_:)``.
    public mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: (ScanOccurrence) -> Void) {
        guard let base = chunk.baseAddress?.assumingMemoryBound(to: UInt8.self), chunk.count > 0 else { return }
        let end = chunk.count
        var position = 0
        if !pending.isEmpty {
            guard let newline = ByteSearch.find(0x0A, base, from: 0, to: end) else {
                pending.append(contentsOf: UnsafeBufferPointer(start: base, count: end))
                trimPending(emit)
                return
            }
            pending.append(contentsOf: UnsafeBufferPointer(start: base, count: newline))
            let line = pending
            pending = []
            scanLine(line, emit)
            lineNumber += 1
            position = newline + 1
        }
        while position < end {
            guard let hit = Self.findEYJ(base, from: position, to: end) else {
                keepTail(base, from: position, to: end)
                return
            }
            var lineStart = hit
            while lineStart > position, base[lineStart - 1] != 0x0A { lineStart -= 1 }
            lineNumber += Self.countNewlines(base, from: position, to: lineStart)
            guard let lineEnd = ByteSearch.find(0x0A, base, from: hit, to: end) else {
                pending = Array(UnsafeBufferPointer(start: base + lineStart, count: end - lineStart))
                trimPending(emit)
                return
            }
            scanLine(Array(UnsafeBufferPointer(start: base + lineStart, count: lineEnd - lineStart)), emit)
            lineNumber += 1
            position = lineEnd + 1
        }
    }

    /// Scans bytes held in an array (see ``feed(_:_:)-(UnsafeRawBufferPointer,_)``).
    public mutating func feed(_ bytes: [UInt8], _ emit: (ScanOccurrence) -> Void) {
        bytes.withUnsafeBytes { feed($0, emit) }
    }

    /// The candidates of one string, without places: each JWT-shaped run of text in it.
    public static func candidates(in text: String) -> [String] {
        let bytes = Array(text.utf8)
        return LineScanner.candidateRanges(bytes).map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    /// `text` with each JWT-shaped candidate replaced by its ``TokenFingerprint``, for text
    /// that names a place (a HAR entry's URL) and must not repeat a credential.
    public static func redacted(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = ""
        var position = 0
        for range in LineScanner.candidateRanges(bytes) {
            out += String(decoding: bytes[position..<range.lowerBound], as: UTF8.self)
            out += TokenFingerprint.of(String(decoding: bytes[range], as: UTF8.self))
            position = range.upperBound
        }
        return out + String(decoding: bytes[position...], as: UTF8.self)
    }

    /// Scans the last line, when the input does not end with a newline.
    public mutating func finish(_ emit: (ScanOccurrence) -> Void) {
        if !pending.isEmpty {
            let line = pending
            pending = []
            scanLine(line, emit)
        }
    }

    /// Keeps the unfinished last line of a chunk without a candidate so far, counting the
    /// newlines before it.
    private mutating func keepTail(_ base: UnsafePointer<UInt8>, from start: Int, to end: Int) {
        var lastNewline = end
        while lastNewline > start, base[lastNewline - 1] != 0x0A { lastNewline -= 1 }
        lineNumber += Self.countNewlines(base, from: start, to: lastNewline)
        // Keep at most the last bytes that could start "eyJ" together with the next chunk, plus
        // the whole line when the rest of it may be needed for a candidate's header context.
        if lastNewline < end {
            pending = Array(UnsafeBufferPointer(start: base + lastNewline, count: end - lastNewline))
            trimPending { _ in }
        }
    }

    /// Scans the front of an over-long unfinished line, cut after its last byte that cannot
    /// be part of a token, so that pending memory stays under ``maxLineBytes``.
    private mutating func trimPending(_ emit: (ScanOccurrence) -> Void) {
        guard pending.count > maxLineBytes else { return }
        var cut = pending.count
        while cut > 0, LineScanner.isTokenByte(pending[cut - 1]) { cut -= 1 }
        if cut == 0 { cut = pending.count - 2 }
        let piece = Array(pending[..<cut])
        pending.removeFirst(cut)
        scanLine(piece, emit)
    }

    private func scanLine(_ line: [UInt8], _ emit: (ScanOccurrence) -> Void) {
        var line = line
        if line.last == 0x0D { line.removeLast() }
        for found in LineScanner.scan(line) {
            let place = ScanPlace(
                source: source, line: lineNumber, carrier: found.carrier, header: found.header,
                direction: found.direction, carrierBytes: found.carrierBytes)
            emit(ScanOccurrence(text: String(decoding: line[found.range], as: UTF8.self), place: place))
        }
    }

    /// The offset of the next `eyJ`, found by its rarest byte `J`.
    private static func findEYJ(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int? {
        var position = from + 2
        while let j = ByteSearch.find(0x4A, base, from: position, to: to) {
            if base[j - 1] == 0x79, base[j - 2] == 0x65 { return j - 2 }
            position = j + 1
        }
        return nil
    }

    private static func countNewlines(_ base: UnsafePointer<UInt8>, from: Int, to: Int) -> Int {
        var count = 0
        var position = from
        while let newline = ByteSearch.find(0x0A, base, from: position, to: to) {
            count += 1
            position = newline + 1
        }
        return count
    }
}
