#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether loading an OpenSSL configuration file would change anything in libcrypto.
///
/// OpenSSL applies a configuration file through one setting: `openssl_conf` in its default
/// section names a section whose lines load modules (providers, algorithm properties, the
/// random generator, TLS defaults, engines). A file without `openssl_conf`, or whose named
/// section has no line (Debian's: its `[openssl_init]` holds only comments), configures
/// nothing, and parsing it still costs about 0.78 million instructions, a fifth of a
/// one-shot `verify HS256`. Everything else in such a file (`[ ca ]`, `[ req ]`, ...) is read
/// by the `openssl` command's own subcommands, never by the library.
///
/// The check is conservative: it answers `true` only for a file it reads completely as
/// `name = value` lines, `[section]` headers and `#` comments. Anything it does not model (a
/// directive such as `.include`, a backslash, which escapes or continues a line, a
/// `section::name` key, a `$variable` or a quote in `openssl_conf`, a line it cannot read)
/// makes it answer `false`, and OpenSSL then loads the file as usual. It runs at every start,
/// so it reads the bytes in place, a line at a time with `memchr` (about 0.1 million
/// instructions for Debian's 12 KB file).
enum OpenSSLConfigFile {
    /// The largest file examined; a bigger one is left to OpenSSL.
    static let maxBytes = 1 << 20

    /// Whether the file at `path` certainly configures nothing; `false` when it cannot be read.
    /// Read here into a temporary buffer rather than with ``FileAccess/readRegularFile(_:maxBytes:what:)``,
    /// whose array and error values cost more at start-up than the whole scan.
    static func isInert(path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG, info.st_size <= maxBytes else { return false }
        let size = Int(info.st_size)
        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: size + 1) { buffer in
            var filled = 0
            while filled <= size {  // one byte more than the size: a file that grew is left to OpenSSL
                let count = read(fd, buffer.baseAddress! + filled, size + 1 - filled)
                if count < 0, errno == EINTR { continue }
                guard count >= 0 else { return false }
                if count == 0 { break }
                filled += count
            }
            guard filled <= size else { return false }
            return isInert(UnsafeBufferPointer(rebasing: buffer[..<filled]))
        }
    }

    /// The most sections examined; a file with more is left to OpenSSL.
    static let maxSections = 1_000

    /// Whether the configuration text certainly configures nothing (see the type).
    static func isInert(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        if ByteSearch.find(UInt8(ascii: "\\"), in: text, 0..<text.count) != nil { return false }
        // One pass: every line readable, the last openssl_conf of the default section, and for
        // each section name (first occurrence) whether any of its occurrences has a setting,
        // kept in a temporary table of three integers a section (an array of tuples cost more
        // to set up, in generic metadata, than the whole scan).
        return withUnsafeTemporaryAllocation(of: Int.self, capacity: 3 * maxSections) { table in
            var count = 0
            func name(_ index: Int) -> Range<Int> { table[3 * index]..<table[3 * index + 1] }
            func index(of section: Range<Int>) -> Int? {
                (0..<count).first { equal(text, name($0), section) }
            }
            var current: Int?  // the section's index in the table; nil for the default section
            var moduleSection: Range<Int>?
            var start = 0
            while start < text.count {
                let end = ByteSearch.find(UInt8(ascii: "\n"), in: text, start..<text.count) ?? text.count
                defer { start = end + 1 }
                let line = trimmed(text, start..<(ByteSearch.find(UInt8(ascii: "#"), in: text, start..<end) ?? end))
                if line.isEmpty { continue }
                switch text[line.lowerBound] {
                case UInt8(ascii: "."):
                    return false  // .include, .pragma
                case UInt8(ascii: "["):
                    guard line.count >= 2, text[line.upperBound - 1] == UInt8(ascii: "]") else { return false }
                    let section = trimmed(text, (line.lowerBound + 1)..<(line.upperBound - 1))
                    guard !section.isEmpty, isName(text, section) else { return false }
                    if equal(text, section, "default") {
                        current = nil
                    } else if let known = index(of: section) {
                        current = known
                    } else {
                        guard count < maxSections else { return false }
                        table[3 * count] = section.lowerBound
                        table[3 * count + 1] = section.upperBound
                        table[3 * count + 2] = 0
                        current = count
                        count += 1
                    }
                default:
                    guard let equals = ByteSearch.find(UInt8(ascii: "="), in: text, line) else { return false }
                    let key = trimmed(text, line.lowerBound..<equals)
                    guard !key.isEmpty, isName(text, key), ByteSearch.find(UInt8(ascii: ":"), in: text, key) == nil else { return false }
                    if let current {
                        table[3 * current + 2] = 1
                    } else if equal(text, key, "openssl_conf") {
                        let value = trimmed(text, (equals + 1)..<line.upperBound)
                        guard !value.isEmpty, isName(text, value) else { return false }
                        moduleSection = value
                    }
                }
            }
            guard let moduleSection else { return true }
            guard let module = index(of: moduleSection) else { return false }
            return table[3 * module + 2] == 0
        }
    }

    /// Whether `range` of `text` is a name: letters, digits and the punctuation OpenSSL allows
    /// in names (`_`, `.`, `-`, `:`).
    private static func isName(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        range.allSatisfy { isNameByte(text[$0]) }
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    private static func trimmed(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        while lower < upper, isSpace(text[lower]) { lower += 1 }
        while upper > lower, isSpace(text[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private static func equal(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ literal: StaticString) -> Bool {
        literal.withUTF8Buffer { wanted in
            wanted.count == range.count && (0..<range.count).allSatisfy { wanted[$0] == text[range.lowerBound + $0] }
        }
    }

    private static func equal(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ other: Range<Int>) -> Bool {
        range.count == other.count && range.indices.allSatisfy { text[$0] == text[other.lowerBound + $0 - range.lowerBound] }
    }
}
