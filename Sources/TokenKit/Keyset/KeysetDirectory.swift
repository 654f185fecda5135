#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The C library's open(2) and write(2), under names that KeysetDirectory's own
// `open`, `read` and `write` do not hide; plain calls, so the file builds on Glibc, Musl and Darwin.
private func systemOpenDirectory(_ path: String) -> Int32 { open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) }
private func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }

/// An open keyset directory, held by a file descriptor so that every file in it is opened,
/// written and renamed relative to the directory that was checked (`openat`, `renameat`),
/// never through a path that could be swapped in between.
///
/// The ownership rule (as OpenSSH applies it to `~/.ssh`): the directory must not be a
/// symbolic link, and it must belong to the caller and be closed to group and others
/// (mode 0700 or stricter) whenever it holds private keys. A directory that holds only the
/// public `jwks.json` (a verifier's copy) may also belong to root, and only must not be
/// writable by group or others. Every refusal names the `chmod` or `chown` that fixes it.
final class KeysetDirectory {
    /// The directory as the caller named it.
    let path: String
    private let fd: Int32
    /// The directory's owner and permission bits, as checked when it was opened.
    private let info: stat
    /// Counts completed write steps, for the fault-injection hook (see ``faultPoint(_:)``).
    private var stepsDone = 0
    private var temporariesDone = 0

    private init(path: String, fd: Int32, info: stat) {
        self.path = path
        self.fd = fd
        self.info = info
    }

    deinit { close(fd) }

    /// The bound on `keys.json` and `jwks.json`.
    static let maxFileBytes = 1 << 20

    /// Opens an existing directory without following a symbolic link, or returns `nil` when
    /// nothing exists at `path`. The directory's owner and mode are checked only when it is
    /// used (``checkPrivate()``, ``checkPublic()``), since what is required depends on its files.
    ///
    /// - Throws: ``TokenError/Code/insecureKeyset`` for a symbolic link,
    ///   ``TokenError/Code/inputUnreadable`` when it cannot be opened or is not a directory.
    static func open(_ path: String) throws -> KeysetDirectory? {
        var link = stat()
        if lstat(path, &link) != 0 {
            if errno == ENOENT { return nil }
            throw TokenError(.inputUnreadable, "cannot open keyset directory '\(path)': \(errorText())")
        }
        if (link.st_mode & S_IFMT) == S_IFLNK { throw symlinkError(path) }
        let fd = systemOpenDirectory(path)
        if fd < 0 {
            if errno == ELOOP { throw symlinkError(path) }
            if errno == ENOTDIR {
                throw TokenError(.inputUnreadable, "keyset '\(path)' is not a directory")
            }
            throw TokenError(.inputUnreadable, "cannot open keyset directory '\(path)': \(errorText())")
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = TokenError(.inputUnreadable, "cannot open keyset directory '\(path)': \(errorText())")
            close(fd)
            throw error
        }
        return KeysetDirectory(path: path, fd: fd, info: info)
    }

    /// Opens the directory, creating it (and missing parents) when absent: the directory
    /// itself gets mode 0700 whatever the umask, and is never reached through a symbolic link.
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable`` when it cannot be created; the errors
    ///   of ``open(_:)``.
    static func openOrCreate(_ path: String) throws -> KeysetDirectory {
        if let existing = try open(path) {
            // An empty directory of the caller's that no one else can write to (made with a
            // plain mkdir, mode 0755) becomes the keyset: it is closed to 0700 first.
            guard existing.isEmptyAndAdoptable, fchmod(existing.fd, 0o700) == 0 else { return existing }
            return try open(path) ?? existing
        }
        let parent = FileAccess.parentDirectory(of: path)
        if parent != path, !FileAccess.exists(parent) { try FileAccess.makeDirectory(parent, mode: 0o755) }
        if mkdir(path, 0o700) != 0, errno != EEXIST {
            throw TokenError(.outputUnwritable, "cannot create keyset directory '\(path)': \(errorText())")
        }
        guard let directory = try open(path) else {
            throw TokenError(.outputUnwritable, "cannot create keyset directory '\(path)': it vanished")
        }
        // mkdir's mode is narrowed by the umask; a umask such as 0277 must not leave it 0500.
        if directory.info.st_uid == geteuid(), directory.info.st_mode & 0o777 != 0o700 {
            if fchmod(directory.fd, 0o700) == 0 { return try open(path) ?? directory }
        }
        return directory
    }

    // MARK: - The ownership rule

    /// Whether the directory is the caller's, not writable by group or others, and holds
    /// nothing (but a lock file or stray temporary files): a new keyset may be made in it,
    /// after closing it to 0700.
    var isEmptyAndAdoptable: Bool {
        guard info.st_uid == geteuid(), info.st_mode & 0o022 == 0 else { return false }
        return names().allSatisfy { $0 == Self.lockFileName || $0.hasPrefix(Self.temporaryPrefix) }
    }

    /// Checks the directory for a keyset with private keys: owned by the caller, mode 0700
    /// or stricter.
    ///
    /// - Throws: ``TokenError/Code/insecureKeyset`` naming the `chown`/`chmod` that fixes it.
    func checkPrivate() throws {
        try Self.checkOwner(info, path: path, what: "keyset directory", allowRoot: false)
        if info.st_mode & 0o077 != 0 {
            throw TokenError(.insecureKeyset, "keyset directory '\(path)' is open to group or others (mode \(Self.octal(info.st_mode))), but a keyset's private keys must be yours alone; fix it with: chmod 700 \(Self.quoted(path))")
        }
    }

    /// Checks the directory for a public-only keyset (just `jwks.json`): owned by the caller
    /// or root, not writable by group or others.
    ///
    /// - Throws: ``TokenError/Code/insecureKeyset``.
    func checkPublic() throws {
        try Self.checkOwner(info, path: path, what: "keyset directory", allowRoot: true)
        if info.st_mode & 0o022 != 0 {
            throw TokenError(.insecureKeyset, "keyset directory '\(path)' is writable by group or others (mode \(Self.octal(info.st_mode))), so anyone could replace its keys; fix it with: chmod go-w \(Self.quoted(path))")
        }
    }

    private static func checkOwner(_ info: stat, path: String, what: String, allowRoot: Bool) throws {
        let me = geteuid()
        if info.st_uid == me || (allowRoot && info.st_uid == 0) { return }
        throw TokenError(.insecureKeyset, "\(what) '\(path)' belongs to uid \(info.st_uid), not to you (uid \(me)), so its owner could replace the keys; use a keyset of your own, or fix it with (as root): chown \(userName(me)) \(quoted(path))")
    }

    // MARK: - Files

    /// Whether a file exists in the directory (a symbolic link counts, and is refused on reading).
    func contains(_ name: String) -> Bool {
        var info = stat()
        return fstatat(fd, name, &info, AT_SYMLINK_NOFOLLOW) == 0
    }

    /// Reads a file of the directory, refusing a symbolic link, anything but a regular file
    /// (a FIFO is opened without blocking and refused), and a file larger than 1 MiB.
    /// With `private: true` the file must also belong to the caller with mode 0600 or
    /// stricter; else it must belong to the caller or root and not be writable by others.
    ///
    /// - Throws: ``TokenError/Code/insecureKeyset``, ``TokenError/Code/inputUnreadable``.
    func read(_ name: String, private isPrivate: Bool) throws -> [UInt8] {
        let shown = path + "/" + name
        let file = openat(fd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        if file < 0 {
            if errno == ELOOP {
                throw TokenError(.insecureKeyset, "keyset file '\(shown)' is a symbolic link, which tokenctl does not follow: replace it with the file itself")
            }
            throw TokenError(.inputUnreadable, "cannot read keyset file '\(shown)': \(Self.errorText())")
        }
        defer { close(file) }
        var info = stat()
        guard fstat(file, &info) == 0 else {
            throw TokenError(.inputUnreadable, "cannot read keyset file '\(shown)': \(Self.errorText())")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            let type = FileAccess.fileTypeName(info.st_mode & S_IFMT)
            throw TokenError(.inputUnreadable, "cannot read keyset file '\(shown)': it is \(type), not a regular file")
        }
        try Self.checkOwner(info, path: shown, what: "keyset file", allowRoot: !isPrivate)
        if isPrivate, info.st_mode & 0o077 != 0 {
            throw TokenError(.insecureKeyset, "keyset file '\(shown)' holds private keys and is open to group or others (mode \(Self.octal(info.st_mode))); fix it with: chmod 600 \(Self.quoted(shown))")
        }
        if !isPrivate, info.st_mode & 0o022 != 0 {
            throw TokenError(.insecureKeyset, "keyset file '\(shown)' is writable by group or others (mode \(Self.octal(info.st_mode))); fix it with: chmod go-w \(Self.quoted(shown))")
        }
        // One reading loop for every file that may hold secrets: it wipes its chunk and every
        // buffer a growing result leaves behind.
        return try FileAccess.readAll(
            file, path: shown, maxBytes: Self.maxFileBytes, what: "keyset file", expectedSize: Int(clamping: info.st_size))
    }

    /// Replaces a file of the directory atomically: a new temporary file (created with
    /// `O_EXCL`, never through a link, then given exactly `mode` whatever the umask), written,
    /// fsynced, renamed over `name`, then the directory fsynced. A crash leaves the old file
    /// or the new one, and at worst a stray temporary file that loading ignores.
    ///
    /// - Throws: ``TokenError/Code/outputUnwritable``.
    func write(_ name: String, _ bytes: [UInt8], mode: mode_t) throws {
        let shown = path + "/" + name
        let suffix = (try? SecureRandom.bytes(count: 6)).map { $0.map { String($0, radix: 16) }.joined() } ?? "\(getpid())"
        let temporary = Self.temporaryPrefix + name + "." + suffix
        let file = openat(fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if file < 0 { throw TokenError(.outputUnwritable, "cannot write '\(shown)': \(Self.errorText())") }
        var ok = fchmod(file, mode) == 0
        var offset = 0
        while ok, offset < bytes.count {
            let written = bytes.withUnsafeBytes { systemWrite(file, $0.baseAddress! + offset, $0.count - offset) }
            if written < 0 {
                if errno == EINTR { continue }
                ok = false
            } else {
                offset += written
            }
        }
        ok = ok && fsync(file) == 0
        var failure = ok ? 0 : errno
        if close(file) != 0, ok {
            ok = false
            failure = errno
        }
        if ok {
            temporariesDone += 1
            faultPoint("tmp\(temporariesDone)")
            if renameat(fd, temporary, fd, name) != 0 {
                ok = false
                failure = errno
            }
        }
        if !ok {
            unlinkat(fd, temporary, 0)
            throw TokenError(.outputUnwritable, "cannot write '\(shown)': \(String(cString: strerror(failure)))")
        }
        fsync(fd)
        stepsDone += 1
        faultPoint("\(stepsDone)")
    }

    /// Removes temporary files a crashed writer left behind.
    func removeStrayTemporaries() {
        for name in names() where name.hasPrefix(Self.temporaryPrefix) { unlinkat(fd, name, 0) }
    }

    /// The names in the directory, without `.` and `..`.
    private func names() -> [String] {
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { close(copy) }
            return []
        }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names
    }

    /// Temporary files start with this, so that no reader mistakes one for a keyset file.
    static let temporaryPrefix = ".tmp-"

    // MARK: - The lock

    /// Takes the keyset's lock (`flock` on `.lock` in the directory), waiting at most
    /// `timeout` seconds. The lock holds until the returned value is released (or the
    /// process ends, even by SIGKILL).
    ///
    /// - Throws: ``TokenError/Code/keysetLocked`` after the wait,
    ///   ``TokenError/Code/outputUnwritable`` when the lock file cannot be opened.
    func lock(timeout: Double) throws -> KeysetLock {
        let shown = path + "/" + Self.lockFileName
        let file = openat(fd, Self.lockFileName, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0o600)
        if file < 0 { throw TokenError(.outputUnwritable, "cannot open the lock file '\(shown)': \(Self.errorText())") }
        var waited = 0.0
        while flock(file, LOCK_EX | LOCK_NB) != 0 {
            if errno != EWOULDBLOCK, errno != EINTR {
                let error = TokenError(.outputUnwritable, "cannot lock '\(shown)': \(Self.errorText())")
                close(file)
                throw error
            }
            if waited >= timeout {
                close(file)
                throw TokenError(.keysetLocked, "keyset '\(path)' is locked by another run (waited \(TokenDuration.format(Int64(timeout.rounded(.up)))) for '\(shown)'); try again when it has finished")
            }
            usleep(50_000)
            waited += 0.05
        }
        return KeysetLock(fd: file)
    }

    /// The lock file's name.
    static let lockFileName = ".lock"

    // MARK: - Fault injection (tests only)

    /// The hidden test hook: when `TOKENCTL_KEYSET_FAULT` names this point, the process kills
    /// itself with SIGKILL, as a crash or power loss would stop it. Points are `1`, `2`, ...
    /// (after the n-th completed write of this run) and `tmp1`, `tmp2`, ... (after the n-th
    /// temporary file is written, before its rename). Read only here, by the keyset writer.
    private func faultPoint(_ point: String) {
        guard let value = getenv("TOKENCTL_KEYSET_FAULT"), String(cString: value) == point else { return }
        kill(getpid(), SIGKILL)
    }

    // MARK: - Messages

    private static func symlinkError(_ path: String) -> TokenError {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let target = realpath(path, &buffer) != nil ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : nil
        let fix = target.map { "pass the real directory ('\($0)') if it is yours" } ?? "pass the real directory"
        return TokenError(.insecureKeyset, "keyset directory '\(path)' is a symbolic link, which tokenctl does not follow: \(fix)")
    }

    private static func errorText() -> String { String(cString: strerror(errno)) }

    static func octal(_ mode: mode_t) -> String {
        let text = String(mode & 0o777, radix: 8)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }

    private static func quoted(_ path: String) -> String {
        let plain = path.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ",")
        }
        return plain ? path : "'" + path.replacingAll("'", with: "'\\''") + "'"
    }

    private static func userName(_ uid: uid_t) -> String {
        guard let entry = getpwuid(uid), let name = entry.pointee.pw_name else { return String(uid) }
        return String(cString: name)
    }
}

/// A held keyset lock; released by ``release()`` or when the process ends.
final class KeysetLock {
    private var fd: Int32

    init(fd: Int32) { self.fd = fd }

    /// Releases the lock.
    func release() {
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    deinit { release() }
}

extension String {
    fileprivate func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
