import Foundation

/// The memory a run may really use: the smallest of the machine's RAM, the process's
/// address-space and data limits (`ulimit -v`, `-d`) and the cgroup's limit (a Slurm `--mem`, a
/// container), v2 or v1. Checking RAM alone let runs start that a cgroup then killed
/// mid-allocation.
public enum MemoryLimit {
    /// The limit in bytes and where it comes from.
    public static func effective() -> (bytes: Int, source: String) {
        var best = (bytes: Int(clamping: ProcessInfo.processInfo.physicalMemory), source: "this machine's RAM")
        func consider(_ bytes: Int?, _ source: String) {
            if let bytes, bytes > 0, bytes < best.bytes { best = (bytes, source) }
        }
        for (resource, name) in [(RLIMIT_AS, "the address-space limit (ulimit -v)"), (RLIMIT_DATA, "the data limit (ulimit -d)")] {
            var r = rlimit()
            #if os(Linux)
                let code = getrlimit(__rlimit_resource_t(UInt32(resource.rawValue)), &r)
            #else
                let code = getrlimit(resource, &r)
            #endif
            if code == 0, r.rlim_cur != rlim_t.max { consider(Int(clamping: r.rlim_cur), name) }
        }
        consider(cgroupLimit(read("/sys/fs/cgroup/memory.max")), "the cgroup v2 limit (memory.max)")
        consider(cgroupLimit(read("/sys/fs/cgroup/memory/memory.limit_in_bytes")), "the cgroup v1 limit")
        return best
    }

    /// A cgroup limit file's value: bytes, or nil for "max", an absurd v1 "no limit" value or
    /// anything unreadable.
    static func cgroupLimit(_ text: String?) -> Int? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), t != "max", let n = Int(t), n > 0 else { return nil }
        return n >= Int(1) << 60 ? nil : n  // v1 reports "unlimited" as about 2^63
    }

    static func read(_ path: String) -> String? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 64)).flatMap { String(data: $0, encoding: .utf8) }
    }
}
