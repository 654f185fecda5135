/// The bytes a spilled ``ScanFinding`` is written as (``ScanSpill``): unsigned LEB128
/// integers and length-prefixed UTF-8 strings, read back only by this process.
extension ScanFinding {
    /// Appends the finding's record: its text, first occurrence, count, kind, bound and places.
    func appendRecord(to out: inout SpillRecordWriter) {
        out.string(text)
        out.int(firstOccurrence)
        out.int(count)
        out.int(maxTokenBytes)
        switch kind {
        case .jwt: out.int(0)
        case .notJWT(let error):
            out.int(1)
            out.string(error.code.id)
            out.string(error.reason)
        }
        out.int(places.count)
        for place in places { place.appendRecord(to: &out) }
    }

    /// Reads a finding written by ``appendRecord(to:)``.
    init(record input: inout SpillRecordReader) throws {
        let text = try input.string()
        let firstOccurrence = try input.int()
        let count = try input.int()
        let maxTokenBytes = try input.int()
        let kind: Kind
        switch try input.int() {
        case 0: kind = .jwt
        case 1:
            let id = try input.string()
            let code = TokenError.Code.all.first { $0.id == id } ?? .malformed
            kind = .notJWT(TokenError(code, try input.string()))
        default: throw SpillRecordReader.damaged
        }
        let placeCount = try input.int()
        guard placeCount <= Self.maxPlaces else { throw SpillRecordReader.damaged }
        var places: [ScanPlace] = []
        places.reserveCapacity(placeCount)
        for _ in 0..<placeCount { places.append(try ScanPlace(record: &input)) }
        self.init(
            text: text, kind: kind, places: places, count: count, firstOccurrence: firstOccurrence,
            maxTokenBytes: maxTokenBytes)
    }
}

extension ScanPlace {
    /// Appends the place's record.
    func appendRecord(to out: inout SpillRecordWriter) {
        out.string(source)
        out.int(line)
        switch carrier {
        case .authorization(let scheme): out.int(0); out.string(scheme)
        case .cookie(let name): out.int(1); out.string(name)
        case .setCookie(let name): out.int(2); out.string(name)
        case .header: out.int(3)
        case .queryParameter(let name): out.int(4); out.string(name)
        case .fragmentParameter(let name): out.int(5); out.string(name)
        case .jsonMember(let name): out.int(6); out.string(name)
        case .field(let name): out.int(7); out.string(name)
        case .text: out.int(8)
        }
        out.optionalString(header)
        out.int(direction == .request ? 1 : direction == .response ? 2 : 0)
        if let entry = harEntry {
            out.int(1)
            out.int(entry.index)
            out.string(entry.method)
            out.string(entry.url)
            out.string(entry.part)
        } else {
            out.int(0)
        }
        out.int(carrierBytes.map { $0 + 1 } ?? 0)
    }

    /// Reads a place written by ``appendRecord(to:)``.
    init(record input: inout SpillRecordReader) throws {
        let source = try input.string()
        let line = try input.int()
        let carrier: Carrier
        switch try input.int() {
        case 0: carrier = .authorization(scheme: try input.string())
        case 1: carrier = .cookie(name: try input.string())
        case 2: carrier = .setCookie(name: try input.string())
        case 3: carrier = .header
        case 4: carrier = .queryParameter(name: try input.string())
        case 5: carrier = .fragmentParameter(name: try input.string())
        case 6: carrier = .jsonMember(name: try input.string())
        case 7: carrier = .field(name: try input.string())
        case 8: carrier = .text
        default: throw SpillRecordReader.damaged
        }
        let header = try input.optionalString()
        let direction: Direction?
        switch try input.int() {
        case 0: direction = nil
        case 1: direction = .request
        case 2: direction = .response
        default: throw SpillRecordReader.damaged
        }
        var harEntry: HAREntry?
        if try input.int() == 1 {
            harEntry = HAREntry(
                index: try input.int(), method: try input.string(), url: try input.string(), part: try input.string())
        }
        let carried = try input.int()
        self.init(
            source: source, line: line, carrier: carrier, header: header, direction: direction, harEntry: harEntry,
            carrierBytes: carried == 0 ? nil : carried - 1)
    }
}

/// Writes the fields of a spilled record.
struct SpillRecordWriter {
    /// The bytes written so far.
    var bytes: [UInt8] = []

    /// Appends a non-negative integer (LEB128).
    mutating func int(_ value: Int) {
        var rest = UInt64(max(value, 0))
        while rest >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: rest) | 0x80)
            rest >>= 7
        }
        bytes.append(UInt8(rest))
    }

    /// Appends a string: its UTF-8 length, then its bytes.
    mutating func string(_ text: String) {
        int(text.utf8.count)
        bytes.append(contentsOf: text.utf8)
    }

    /// Appends an optional string: 0 for none, else 1 and the string.
    mutating func optionalString(_ text: String?) {
        guard let text else { return int(0) }
        int(1)
        string(text)
    }
}

/// Reads the fields of a spilled record from its bytes.
struct SpillRecordReader {
    /// The error for bytes this process did not write.
    static let damaged = TokenError(.inputUnreadable, "the scan's temporary file is damaged")

    private let bytes: UnsafeRawBufferPointer
    /// The number of bytes read so far.
    private(set) var position = 0

    /// A reader of `bytes`, which must outlive it.
    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    /// Reads a non-negative integer.
    mutating func int() throws -> Int {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        while position < bytes.count, shift < 63 {
            let byte = bytes[position]
            position += 1
            value |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return Int(clamping: value) }
            shift += 7
        }
        throw Self.damaged
    }

    /// Reads a string.
    mutating func string() throws -> String {
        let length = try int()
        guard length <= bytes.count - position else { throw Self.damaged }
        defer { position += length }
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<position + length]), as: UTF8.self)
    }

    /// Reads an optional string.
    mutating func optionalString() throws -> String? {
        try int() == 0 ? nil : try string()
    }
}
