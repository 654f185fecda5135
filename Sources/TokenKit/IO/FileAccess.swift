#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Bounded reads and atomic, permission-preserving writes of small files (keys, keysets,
/// claim sets, revocation lists).
public enum FileAccess {
    /// The default bound for key files, JWKS and claim-set files: 1 MiB.
    public static let defaultMaxBytes = 1 << 20

    /// Reads a whole file, refusing one larger than `maxBytes`.
    ///
    /// - Parameters:
    ///   - path: the file; `-` is not special here.
    ///   - maxBytes: the bound.
    ///   - what: what the file is, for messages ("key file").
    /// - Throws: ``TokenError/Code/inputUnreadable`` naming the file and the reason.
    public static func read(_ path: String, maxBytes: Int = defaultMaxBytes, what: String = "file") throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { throw unreadable(path, what: what) }
        defer { close(fd) }
        var info = stat()
        let described = fstat(fd, &info) == 0
        if described, (info.st_mode & S_IFMT) == S_IFDIR {
            throw TokenError(.inputUnreadable, "cannot read \(what) '\(path)': it is a directory")
        }
        let expected = described && (info.st_mode & S_IFMT) == S_IFREG ? Int(clamping: info.st_size) : 0
        return try readAll(fd, path: path, maxBytes: maxBytes, what: what, expectedSize: expected)
    }

    /// Reads `fd` to its end. Every buffer that held file bytes and is not returned is
    /// wiped: the read chunk, the buffers a growing result leaves behind (the result grows by
    /// an explicit copy, after which the old buffer is wiped), and the partial result when
    /// the read fails or goes over `maxBytes`. The result is the caller's to wipe.
    /// `expectedSize` is the file's size when known (`fstat` of a regular file), else 0; a
    /// size over `maxBytes` is not trusted for the allocation.
    static func readAll(_ fd: Int32, path: String, maxBytes: Int, what: String, expectedSize: Int = 0) throws -> [UInt8] {
        let expectedSize = expectedSize <= maxBytes ? expectedSize : 0
        var bytes: [UInt8] = []
        bytes.reserveCapacity(expectedSize + 1)
        // A file of known size is read in a chunk just past it (4 KiB at least): a key file
        // of a few hundred bytes need not zero, fault in and wipe 64 KiB (~0.13M instructions).
        let chunkBytes = expectedSize > 0 ? min(64 * 1024, max(4 * 1024, expectedSize + 1)) : 64 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkBytes)
        defer { SecretBytes.wipe(&chunk) }
        var done = false
        defer { if !done { SecretBytes.wipe(&bytes) } }
        while true {
            let count = chunk.withUnsafeMutableBytes { systemRead(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw unreadable(path, what: what)
            }
            if count == 0 {
                done = true
                return bytes
            }
            if bytes.count + count > bytes.capacity {
                var larger: [UInt8] = []
                larger.reserveCapacity(max(bytes.capacity * 2, bytes.count + count))
                larger.append(contentsOf: bytes)
                SecretBytes.wipe(&bytes)
                bytes = larger
            }
            bytes.append(contentsOf: chunk[0..<count])
            if bytes.count > maxBytes {
                throw TokenError(.inputUnreadable, "\(what) '\(path)' is larger than the \(maxBytes)-byte limit")
            }
        }
    }

    /// Reads a whole file that must be a regular file: keys, secrets, passwords, keysets and
    /// revocation lists. The result is the caller's to wipe; every other buffer that held the
    /// file's bytes is wiped here (see `readAll`). The file is opened without blocking and
    /// checked with `fstat` before any read, so a FIFO, a terminal, a socket or a device such
    /// as `/dev/zero` is refused at once instead of hanging or reading forever.
    ///
    /// - Parameters:
    ///   - path: the file.
    ///   - maxBytes: the bound.
    ///   - what: what the file is, for messages ("key file").
    /// - Throws: ``TokenError/Code/inputUnreadable`` naming the file and the reason.
    public static func readRegularFile(_ path: String, maxBytes: Int = defaultMaxBytes, what: String = "file") throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        if fd < 0 { throw unreadable(path, what: what) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw unreadable(path, what: what) }
        let type = info.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw TokenError(.inputUnreadable, "cannot read \(what) '\(path)': it is \(fileTypeName(type)), not a regular file (save it to a file first)")
        }
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
        // The size is known: one allocation, not a doubling array twice the file's size.
        return try readAll(fd, path: path, maxBytes: maxBytes, what: what, expectedSize: Int(clamping: info.st_size))
    }

    /// A phrase for a file type from `st_mode`, for messages ("a named pipe (FIFO)").
    static func fileTypeName(_ type: mode_t) -> String {
        switch type {
        case S_IFDIR: return "a directory"
        case S_IFIFO: return "a named pipe (FIFO)"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    /// Whether a path exists.
    public static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    /// Whether a path is a regular file.
    public static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Creates a directory and its missing parents; the last one gets `mode`.
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable``.
    public static func makeDirectory(_ path: String, mode: mode_t) throws {
        if isDirectory(path) { return }
        let parent = parentDirectory(of: path)
        if parent != path, !isDirectory(parent) { try makeDirectory(parent, mode: 0o755) }
        if mkdir(path, mode) != 0, errno != EEXIST {
            throw TokenError(.outputUnwritable, "cannot create directory '\(path)': \(String(cString: strerror(errno)))")
        }
        _ = chmod(path, mode)
    }

    /// Writes a file atomically: a temporary file beside it with `mode`, fsync, rename over
    /// the target, then fsync of the directory. A crash leaves the old file or the new one,
    /// never a torn one.
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable``.
    public static func writeAtomically(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let directory = parentDirectory(of: path)
        var template = Array("\(path).tmp-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        if fd < 0 { throw unwritable(path) }
        let temporary = String(decoding: template.prefix(while: { $0 != 0 }).map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var ok = fchmod(fd, mode) == 0
        var offset = 0
        while ok, offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(fd, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                ok = false
            } else {
                offset += written
            }
        }
        ok = ok && fsync(fd) == 0
        ok = close(fd) == 0 && ok
        ok = ok && rename(temporary, path) == 0
        if !ok {
            let error = unwritable(path)
            unlink(temporary)
            throw error
        }
        let directoryFD = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directoryFD >= 0 {
            fsync(directoryFD)
            close(directoryFD)
        }
    }

    /// The permission bits of a path, or `nil` if it does not exist.
    public static func permissions(_ path: String) -> mode_t? {
        var info = stat()
        return stat(path, &info) == 0 ? info.st_mode & 0o7777 : nil
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    private static func unreadable(_ path: String, what: String) -> TokenError {
        let reason = String(cString: strerror(errno))
        return TokenError(.inputUnreadable, "cannot read \(what) \(quoted(path)): \(reason)")
    }

    /// A path as messages show it: `'path'`, or, when the argument looks like key material
    /// given in place of a path (``SecretReference/looksLikeKeyMaterial(_:)``), a phrase
    /// that says so without showing it.
    public static func quoted(_ path: String) -> String {
        SecretReference.looksLikeKeyMaterial(path)
            ? "(an argument that looks like key material, not a path; not shown, in case it is a key: save a key to a file and give its path)"
            : "'\(path)'"
    }

    private static func unwritable(_ path: String) -> TokenError {
        TokenError(.outputUnwritable, "cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
}

// The C library's read(2) and write(2), reached from file scope where FileAccess.read does
// not shadow them: a plain call, whichever of Glibc, Musl or Darwin provides it.
private func systemRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, buffer, count)
}

private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, buffer, count)
}
