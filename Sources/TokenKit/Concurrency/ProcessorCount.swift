#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How many processors this process may run on (`--jobs 0`).
public enum ProcessorCount {
    /// The processors online (`sysconf(_SC_NPROCESSORS_ONLN)`), narrowed to the process's CPU
    /// affinity mask (`sched_getaffinity`) where the C library has it, so that
    /// `taskset -c 1 tokenctl ...` gives 1; at least 1.
    public static func available() -> Int {
        let online = max(1, sysconf(Int32(_SC_NPROCESSORS_ONLN)))
        if let allowed = affinityCount(), allowed > 0 { return min(allowed, online) }
        return online
    }

    /// The CPUs in this process's affinity mask, or `nil` where it cannot be read.
    ///
    /// `sched_getaffinity` is declared only under `_GNU_SOURCE`, which the Swift C-library
    /// module is not built with, so it is looked up by name (glibc and musl both export it).
    private static func affinityCount() -> Int? {
        #if os(Linux)
        typealias GetAffinity = @convention(c) (Int32, Int, UnsafeMutableRawPointer) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sched_getaffinity") else { return nil }
        let getAffinity = unsafeBitCast(symbol, to: GetAffinity.self)
        // 1024 CPUs, like glibc's cpu_set_t.
        var mask = [UInt64](repeating: 0, count: 16)
        let result = mask.withUnsafeMutableBytes { getAffinity(0, $0.count, $0.baseAddress!) }
        guard result == 0 else { return nil }
        return mask.reduce(0) { $0 + $1.nonzeroBitCount }
        #else
        return nil
        #endif
    }
}
