import Foundation

/// CPU time, in seconds: of this process (less disturbed than wall clock on a shared machine), of
/// the programs it ran and waited for (pgbench), and of a PostgreSQL server.
public enum CPUTime {
    /// This process: user and system time of every thread.
    public static func process() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Child processes this process has waited for (pgbench, once it has exited).
    public static func children() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_CHILDREN.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec) + Double(usage.ru_stime.tv_sec) + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Every process of the PostgreSQL server whose postmaster is `postmaster`: the postmaster's
    /// own time and that of the children it has reaped (backends of closed connections), plus each
    /// live child's (backends, WAL writer, checkpointer…), from `/proc`. `nil` when `/proc` cannot
    /// tell (not Linux, or the server is someone else's).
    public static func server(postmaster: Int32) -> Double? {
        guard let own = fields(of: postmaster) else { return nil }
        // Fields 14 to 17 (utime, stime, cutime, cstime) are at 11 to 14 after the command name.
        var ticks = own[11...14].compactMap { Double($0) }.reduce(0, +)
        let processes = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in processes {
            guard let pid = Int32(name), pid != postmaster, let stat = fields(of: pid), stat.count > 12,
                Int32(stat[1]) == postmaster
            else { continue }
            ticks += stat[11...12].compactMap { Double($0) }.reduce(0, +)
        }
        return ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    /// `/proc/PID/stat`'s fields after the command name (which may contain spaces): the first is
    /// the state (field 3), the second the parent's pid.
    private static func fields(of pid: Int32) -> [Substring]? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let end = text.lastIndex(of: ")")
        else { return nil }
        return text[text.index(after: end)...].split(separator: " ")
    }
}
