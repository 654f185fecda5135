#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import TokenKit

/// The inputs of `--scan`: each file argument (`-` for standard input), or standard input
/// when there is none, read in 64 KiB chunks and scanned as free text, or as a HAR document
/// when it looks like one. Memory stays bounded by the longest line kept whole, plus the
/// HAR bound for a HAR file, plus the distinct tokens found.
enum ScanInputs {
    /// The chunk size of a read.
    static let chunkBytes = 64 * 1024

    /// Scans every input and gathers the candidates.
    ///
    /// - Throws: ``UsageError`` `missing_argument` when there is no input and standard input
    ///   is a terminal; ``TokenError`` `.inputUnreadable` for a missing or unreadable file;
    ///   `.malformedJSON` for a `.har` file that is not a HAR document.
    static func collect(
        _ arguments: ParsedArguments, _ console: Console, command: String, maxTokenBytes: Int
    ) throws -> ScanCollector {
        var collector = ScanCollector(maxTokenBytes: maxTokenBytes)
        let maxLineBytes = maxTokenBytes + TokenInputs.lineSlack
        var paths = arguments.positionals
        if paths.isEmpty {
            if console.stdin.isTerminal {
                throw UsageError(
                    "missing_argument", "no input to scan: give files as arguments, or pipe text on standard input")
            }
            paths = ["-"]
        }
        for (index, path) in paths.enumerated() {
            if path != "-", !FileAccess.exists(path), !TokenScanner.candidates(in: path).isEmpty {
                // Never echo a token given where a file belongs.
                throw TokenError(
                    .inputUnreadable,
                    "argument \(index + 1) is a token, not a file: with --scan, arguments are files to scan (or - "
                        + "for standard input); give a single token without --scan")
            }
            if path == "-" {
                if console.stdin is FileDescriptorInput {
                    try scan(fd: 0, name: "stdin", path: nil, maxLineBytes: maxLineBytes, &collector, console, command)
                } else {
                    var scanner = TokenScanner(source: "stdin", maxLineBytes: maxLineBytes)
                    while true {
                        let line: [UInt8]
                        do {
                            guard let read = try console.stdin.readLine(maxBytes: maxLineBytes) else { break }
                            line = read
                        } catch let error as TokenError where error.code == .malformed {
                            line = []
                        }
                        scanner.feed(line + [0x0A]) { collector.add($0) }
                    }
                    scanner.finish { collector.add($0) }
                }
                continue
            }
            guard FileAccess.exists(path) else {
                throw TokenError(.inputUnreadable, "cannot read \(ScanRender.untrusted(path)): no such file")
            }
            guard FileAccess.isRegularFile(path) else {
                throw TokenError(.inputUnreadable, "cannot read \(path): not a regular file")
            }
            let fd = open(path, O_RDONLY)
            guard fd >= 0 else {
                throw TokenError(.inputUnreadable, "cannot read \(path): \(String(cString: strerror(errno)))")
            }
            defer { close(fd) }
            try scan(fd: fd, name: path, path: path, maxLineBytes: maxLineBytes, &collector, console, command)
        }
        return collector
    }

    /// Scans one file descriptor to its end.
    private static func scan(
        fd: Int32, name: String, path: String?, maxLineBytes: Int, _ collector: inout ScanCollector,
        _ console: Console, _ command: String
    ) throws {
        var buffer = [UInt8](repeating: 0, count: chunkBytes)
        var first = try read(fd, into: &buffer, name: name)
        var scanner = TokenScanner(source: name, maxLineBytes: maxLineBytes)
        if HARScanner.looksLikeHAR(path: path, prefix: Array(buffer[..<first])) {
            var document = Array(buffer[..<first])
            while first > 0, document.count <= HARScanner.maxDocumentBytes {
                first = try read(fd, into: &buffer, name: name)
                document += buffer[..<first]
            }
            if document.count <= HARScanner.maxDocumentBytes {
                do {
                    var found: [ScanOccurrence] = []
                    try HARScanner.scan(document, source: name) { found.append($0) }
                    found.forEach { collector.add($0) }
                    return
                } catch where !(path ?? "").lowercased().hasSuffix(".har") {
                    // JSON that only looked like a HAR file (a log of JSON lines): scan it as text.
                    scanner.feed(document) { collector.add($0) }
                    scanner.finish { collector.add($0) }
                    return
                }
            }
            console.warn(
                command, "\(ScanRender.untrusted(name)) is larger than the \(HARScanner.maxDocumentBytes >> 20) MiB "
                    + "HAR bound: scanning it as text, without its entries")
            scanner.feed(document) { collector.add($0) }
            first = try read(fd, into: &buffer, name: name)
        }
        while first > 0 {
            buffer.withUnsafeBytes { raw in
                scanner.feed(UnsafeRawBufferPointer(rebasing: raw[..<first])) { collector.add($0) }
            }
            first = try read(fd, into: &buffer, name: name)
        }
        scanner.finish { collector.add($0) }
    }

    /// Reads up to a chunk; 0 at the end.
    private static func read(_ fd: Int32, into buffer: inout [UInt8], name: String) throws -> Int {
        while true {
            let count = buffer.withUnsafeMutableBytes { POSIX.readBytes(fd, $0.baseAddress!, $0.count) }
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw TokenError(.inputUnreadable, "cannot read \(name): \(String(cString: strerror(errno)))")
        }
    }
}
