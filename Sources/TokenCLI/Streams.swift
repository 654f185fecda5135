#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TokenKit

/// Text output to a file descriptor. A closed pipe (EPIPE) ends the process quietly
/// with status 0, as `head` and ripgrep users expect (SIGPIPE is ignored at start, see
/// ``TokenCTL/main()``). Any other failed write is kept in ``writeFailure`` and later
/// writes are dropped; the dispatcher turns it into `output_unwritable`, exit 2.
public final class FileDescriptorOutput: TextOutput {
    private let fd: Int32
    public let isTerminal: Bool
    /// Whether writes are collected (never on a terminal) and written out by ``flush()``.
    private let buffered: Bool
    /// A stream flushed before each write to this one (stdout, for stderr).
    private let flushingFirst: FileDescriptorOutput?
    /// The most a buffered stream holds before it writes.
    private static let bufferBytes = 64 * 1024

    /// What writes change. It lies in memory this stream allocates rather than in stored
    /// properties: a class's stored `var` lent `inout` to a closure (`render(&pending)`) or read
    /// from another type is checked for exclusive access at run time (`swift_beginAccess`,
    /// ~100 instructions each, four a batch line with ``FileDescriptorInput``); memory reached
    /// through a pointer is not.
    private struct State: ~Copyable {
        var pending: ByteWriter
        var writeFailure: String?
    }

    private let state: UnsafeMutablePointer<State>

    public var writeFailure: String? { state.pointee.writeFailure }
    public var hasWriteFailure: Bool { state.pointee.writeFailure != nil }

    /// - Parameters:
    ///   - buffered: collect writes until ``flush()`` or 64 KiB, unless `fd` is a terminal.
    ///   - flushingFirst: a stream to flush before every write to this one.
    public init(fd: Int32, buffered: Bool = false, flushingFirst: FileDescriptorOutput? = nil) {
        self.fd = fd
        self.isTerminal = isatty(fd) == 1
        self.buffered = buffered && !isTerminal
        self.flushingFirst = flushingFirst
        state = .allocate(capacity: 1)
        state.initialize(to: State(pending: ByteWriter(capacity: self.buffered ? Self.bufferBytes + 4096 : 16)))
    }

    deinit { state.deinitialize(count: 1).deallocate() }

    public func write(_ text: String) {
        if state.pointee.writeFailure != nil { return }
        if buffered {
            state.pointee.pending.append(contentsOf: text)
            if state.pointee.pending.count >= Self.bufferBytes { flush() }
            return
        }
        flushingFirst?.flush()
        text.withUTF8Bytes { writeOut(UnsafeRawBufferPointer($0)) }
    }

    public func write(rendering render: (inout ByteWriter) -> Void) {
        if state.pointee.writeFailure != nil { return }
        if buffered {
            render(&state.pointee.pending)
            if state.pointee.pending.count >= Self.bufferBytes { flush() }
            return
        }
        var bytes = ByteWriter()
        render(&bytes)
        flushingFirst?.flush()
        bytes.withBytes { writeOut(UnsafeRawBufferPointer($0)) }
    }

    /// A run of at least a quarter of the buffer (16 KiB) goes straight to the descriptor,
    /// after what the buffer holds, instead of being copied into it: `--jobs` writes each
    /// block's results that way.
    public func write(bytes: UnsafeBufferPointer<UInt8>) {
        if state.pointee.writeFailure != nil { return }
        if buffered, bytes.count < Self.bufferBytes / 4 {
            state.pointee.pending.append(contentsOf: bytes)
            if state.pointee.pending.count >= Self.bufferBytes { flush() }
            return
        }
        if buffered { flush() } else { flushingFirst?.flush() }
        if state.pointee.writeFailure == nil { writeOut(UnsafeRawBufferPointer(bytes)) }
    }

    public func flush() {
        guard !state.pointee.pending.isEmpty else { return }
        defer { state.pointee.pending.removeAll() }
        if state.pointee.writeFailure == nil { state.pointee.pending.withBytes { writeOut(UnsafeRawBufferPointer($0)) } }
    }

    private func writeOut(_ buffer: UnsafeRawBufferPointer) {
        guard let base = buffer.baseAddress else { return }
        var offset = 0
        while offset < buffer.count {
            let written = POSIX.writeBytes(fd, base + offset, buffer.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                // _exit: --jobs threads may still be inside OpenSSL, which exit's handlers tear down.
                if errno == EPIPE { _exit(0) }
                state.pointee.writeFailure = String(cString: strerror(errno))
                return
            }
            offset += written
        }
    }
}

/// Byte input from a file descriptor, read in chunks so that memory stays bounded
/// whatever the size of the input. Lines are lent in place from the one buffer the chunks
/// are read into, so reading a line copies nothing (the kernel's copy into the buffer aside).
public final class FileDescriptorInput: ByteInput {
    private var fd: Int32
    private let ownsDescriptor: Bool
    public let isTerminal: Bool
    /// Called before each read from the descriptor, which may block (the console flushes
    /// standard output there). Kept in the line buffer, where each read finds it: a class's
    /// stored closure read for every line cost an exclusivity check and a copy.
    public var beforeRead: (() -> Void)? {
        get { lines.pointee.beforeRead }
        set { lines.pointee.beforeRead = newValue }
    }

    /// The buffer and the reading position, in memory this input allocates (see
    /// ``FileDescriptorOutput``'s state: a stored array lent for the length of
    /// `withNextLine`'s body was checked for exclusive access at run time on every line).
    private let lines: UnsafeMutablePointer<LineBuffer>

    /// Reads from `fd`; with `ownsDescriptor`, ``close()`` closes it.
    public init(fd: Int32, ownsDescriptor: Bool = false) {
        self.fd = fd
        self.ownsDescriptor = ownsDescriptor
        self.isTerminal = isatty(fd) == 1
        lines = .allocate(capacity: 1)
        lines.initialize(to: LineBuffer())
    }

    deinit { lines.deinitialize(count: 1).deallocate() }

    /// Closes the descriptor when this input owns it; later reads see the end of input.
    public func close() {
        if ownsDescriptor, fd >= 0 { _ = POSIX.closeDescriptor(fd) }
        fd = -1
        lines.pointee.atEnd = true
    }

    public var isReadyToRead: Bool {
        if lines.pointee.hasBytesOrEnd || fd < 0 { return true }
        var descriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, 0) != 0
    }

    public func withNextLine<Result>(maxBytes: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result? {
        try lines.pointee.withNextLine(maxBytes: maxBytes, reading: fd, body)
    }

    public func appendWholeLines(to bytes: inout [UInt8], room: Int) throws -> Int {
        try lines.pointee.appendWholeLines(to: &bytes, room: room, reading: fd)
    }

    public func readAll(maxBytes: Int) throws -> [UInt8] {
        try readAll(maxBytes: maxBytes, name: "standard input")
    }

    /// Reads everything that is left, up to `maxBytes`; `name` names the stream in errors.
    func readAll(maxBytes: Int, name: String) throws -> [UInt8] {
        try lines.pointee.readAll(maxBytes: maxBytes, name: name, reading: fd)
    }
}

/// The buffer a ``FileDescriptorInput`` reads chunks into, and the lines it lends from it.
private struct LineBuffer {
    /// Read and not yet consumed: `buffer[start..<end]`; the room after `end` is read into.
    private var buffer: [UInt8] = []
    private var start = 0
    private var end = 0
    var atEnd = false
    /// ``FileDescriptorInput/beforeRead``.
    var beforeRead: (() -> Void)?

    /// The room each read asks for (the buffer grows past it only for a line that does not fit).
    private static let readBytes = 64 * 1024

    /// Whether a read would return at once without the descriptor: bytes are buffered or the end is reached.
    var hasBytesOrEnd: Bool { start < end || atEnd }

    /// Moves the unread bytes to the front of the buffer and reads once after them.
    private mutating func fill(from fd: Int32) throws {
        if start > 0 {
            let unread = end - start
            if unread > 0 {
                let start = start
                buffer.withUnsafeMutableBytes { bytes in _ = memmove(bytes.baseAddress!, bytes.baseAddress! + start, unread) }
            }
            start = 0
            end = unread
        }
        if buffer.count - end < Self.readBytes {
            buffer.append(contentsOf: repeatElement(0, count: Self.readBytes - (buffer.count - end)))
        }
        beforeRead?()
        let end = end
        let count = try buffer.withUnsafeMutableBytes { bytes in try Self.read(fd, into: bytes.baseAddress! + end, bytes.count - end) }
        if count == 0 { atEnd = true } else { self.end += count }
    }

    /// One `read(2)` of up to `count` bytes (again when a signal interrupts it); 0 at the end.
    ///
    /// - Throws: ``TokenError`` `.inputUnreadable` when it fails.
    private static func read(_ fd: Int32, into destination: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
        while true {
            let read = POSIX.readBytes(fd, destination, count)
            if read >= 0 { return read }
            if errno != EINTR {
                throw TokenError(.inputUnreadable, "cannot read standard input: \(String(cString: strerror(errno)))")
            }
        }
    }

    /// ``ByteInput/withNextLine(maxBytes:_:)``, reading from `fd` when the buffer holds no whole line.
    mutating func withNextLine<Result>(
        maxBytes: Int, reading fd: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result? {
        var searchFrom = start
        while true {
            let lineEnd: Int
            if let newline = offsetOfNewline(from: searchFrom) {
                lineEnd = newline
            } else if end - start > maxBytes + 1 {
                // Too long: skip to the end of this line without keeping it.
                let length = try skipRestOfLine(reading: fd)
                throw InputLineTooLong(length: length, limit: maxBytes)
            } else if atEnd {
                if start >= end { return nil }
                lineEnd = end
            } else {
                let searched = end - start
                try fill(from: fd)
                searchFrom = start + searched
                continue
            }
            // The line without its line break (and a CR before it).
            let lineStart = start
            let contentEnd = lineEnd > lineStart && buffer[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
            start = min(lineEnd + 1, end)
            if contentEnd - lineStart > maxBytes { throw InputLineTooLong(length: contentEnd - lineStart, limit: maxBytes) }
            return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<contentEnd])) }
        }
    }

    /// ``ByteInput/appendWholeLines(to:room:)``, reading from `fd` straight into `bytes` when
    /// this buffer holds no whole line.
    mutating func appendWholeLines(to bytes: inout [UInt8], room: Int, reading fd: Int32) throws -> Int {
        if let wholeEnd = endOfWholeLines(from: start, to: min(end, start + room)) ?? offsetOfNewline(from: start).map({ $0 + 1 }) {
            // Lines read before (the lines read ahead of a batch): copied from here.
            let lineStart = start
            buffer.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[lineStart..<wholeEnd])) }
            start = wholeEnd
            return wholeEnd - lineStart
        }
        if atEnd { return 0 }
        // Only part of a line here: it and a read of new lines go straight to `bytes`, where
        // the thread that reads them works them, and what follows their last line feed comes
        // back here.
        let origin = bytes.count
        let carried = end - start
        let lineStart = start
        buffer.withUnsafeBufferPointer { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[lineStart..<end])) }
        start = 0
        end = 0
        let wanted = max(room - carried, 4096)
        beforeRead?()
        var count = 0
        var readError: (any Error)?
        bytes.append(addingCapacity: wanted) { appended in
            appended.withUnsafeMutableBufferPointer { space, initialized in
                do {
                    initialized = try Self.read(fd, into: space.baseAddress!, wanted)
                } catch {
                    readError = error
                }
                count = initialized
            }
        }
        if count == 0, readError == nil { atEnd = true }
        // What follows the last line feed (all of it when none came) goes back to the buffer.
        var wholeEnd = bytes.count
        while wholeEnd > origin, bytes[wholeEnd - 1] != 0x0A { wholeEnd -= 1 }
        if wholeEnd < bytes.count {
            let tail = bytes.count - wholeEnd
            if buffer.count < tail { buffer.append(contentsOf: repeatElement(0, count: tail - buffer.count)) }
            bytes.withUnsafeBufferPointer { source in
                buffer.withUnsafeMutableBufferPointer { _ = memcpy($0.baseAddress!, source.baseAddress! + wholeEnd, tail) }
            }
            end = tail
            bytes.removeLast(tail)
        }
        if let readError { throw readError }
        return bytes.count - origin
    }

    /// The end of the last whole line in `buffer[from..<to]` (just after its line feed), or
    /// `nil` when it holds none.
    private func endOfWholeLines(from: Int, to: Int) -> Int? {
        var index = to
        while index > from {
            index -= 1
            if buffer[index] == 0x0A { return index + 1 }
        }
        return nil
    }

    /// The offset of the first line feed in `buffer[offset..<end]`, found with `memchr`.
    private func offsetOfNewline(from offset: Int) -> Int? {
        guard offset < end else { return nil }
        return buffer.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress, let found = memchr(base + offset, 0x0A, end - offset) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// Skips past the next line feed (or to the end of input); returns the bytes skipped before
    /// it, a CR just before it aside.
    private mutating func skipRestOfLine(reading fd: Int32) throws -> Int {
        var length = 0
        var endsInReturn = false  // the last byte skipped is a CR (not counted before a line feed)
        while true {
            if let newline = offsetOfNewline(from: start) {
                length += newline - start
                if newline > start ? buffer[newline - 1] == 0x0D : endsInReturn { length -= 1 }
                start = newline + 1
                return length
            }
            if end > start { endsInReturn = buffer[end - 1] == 0x0D }
            length += end - start
            start = end
            if atEnd { return length }
            try fill(from: fd)
        }
    }

    /// Everything that is left, up to `maxBytes`, reading from `fd`; `name` names the stream in errors.
    mutating func readAll(maxBytes: Int, name: String, reading fd: Int32) throws -> [UInt8] {
        while !atEnd {
            if end - start > maxBytes { break }
            try fill(from: fd)
        }
        let rest = Array(buffer[start..<end])
        start = end
        if rest.count > maxBytes {
            throw TokenError(.inputUnreadable, "\(name) exceeds the \(maxBytes)-byte limit")
        }
        return rest
    }
}

/// A line longer than the bound a reader was given. The rest of the line has been skipped,
/// so the next read starts on the following line.
public struct InputLineTooLong: Error, Sendable {
    /// The line's real length in bytes (without its line break).
    public let length: Int
    /// The bound it exceeds.
    public let limit: Int
}

/// Text output collected in memory, for tests.
public final class BufferOutput: TextOutput {
    public private(set) var text = ""
    public let isTerminal: Bool

    public init(isTerminal: Bool = false) { self.isTerminal = isTerminal }

    public func write(_ text: String) { self.text += text }
}

/// Byte input from memory, for tests.
public final class BufferInput: ByteInput {
    private var bytes: [UInt8]
    private var start = 0
    public let isTerminal: Bool

    public init(_ bytes: [UInt8] = [], isTerminal: Bool = false) {
        self.bytes = bytes
        self.isTerminal = isTerminal
    }

    public convenience init(_ text: String, isTerminal: Bool = false) {
        self.init(Array(text.utf8), isTerminal: isTerminal)
    }

    public func withNextLine<Result>(maxBytes: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) throws -> Result? {
        guard start < bytes.count else { return nil }
        let lineStart = start
        let lineEnd = bytes[start...].firstIndex(of: 0x0A) ?? bytes.count
        start = min(lineEnd + 1, bytes.count)
        let contentEnd = lineEnd > lineStart && bytes[lineEnd - 1] == 0x0D ? lineEnd - 1 : lineEnd
        if contentEnd - lineStart > maxBytes { throw InputLineTooLong(length: contentEnd - lineStart, limit: maxBytes) }
        return try bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<contentEnd])) }
    }

    public func appendWholeLines(to block: inout [UInt8], room: Int) throws -> Int {
        let limit = min(bytes.count, start + max(room, 1))
        guard let last = bytes[start..<limit].lastIndex(of: 0x0A) ?? bytes[start...].firstIndex(of: 0x0A) else { return 0 }
        block.append(contentsOf: bytes[start...last])
        defer { start = last + 1 }
        return last + 1 - start
    }

    public func readAll(maxBytes: Int) throws -> [UInt8] {
        let rest = Array(bytes[start...])
        start = bytes.count
        if rest.count > maxBytes {
            throw TokenError(.inputUnreadable, "standard input exceeds the \(maxBytes)-byte limit")
        }
        return rest
    }
}
