#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value behind a POSIX mutex, for state that `--jobs` threads share (caches, pools, the
/// verifier a key refresh replaces).
///
/// Like `Synchronization.Mutex`, with one difference that matters here: ThreadSanitizer
/// intercepts `pthread_mutex_lock`, so it sees this lock and checks the code that uses it
/// (`swift test --sanitize=thread`). It does not see `Mutex`, whose Linux lock is inside the
/// uninstrumented Synchronization library, and reports every access under it as a race.
public final class Locked<Value>: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private var value: Value

    /// A lock around `value`.
    public init(_ value: Value) {
        self.value = value
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    /// Runs `body` with the value while holding the lock.
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
