import Foundation

/// What one durable commit costs the disk under the server: 8 kB written and `fdatasync`ed in the
/// server's folder, again and again for a while (what `pg_test_fsync` measures for
/// `wal_sync_method=fdatasync`). Transactions that wait for one another, as placements at one
/// pizzeria do on its stock rows, can commit no faster than one such flush each.
struct FlushProbe {
    /// Median and 99th percentile of one write and flush, in microseconds, and how many were timed.
    let median: Double
    let p99: Double
    let count: Int

    static func measure(in folder: String, for seconds: Double = 1) -> FlushProbe? {
        let path = folder + "/flush-probe"
        let descriptor = open(path, O_CREAT | O_WRONLY, 0o600)
        guard descriptor >= 0 else { return nil }
        defer {
            close(descriptor)
            unlink(path)
        }
        let block = [UInt8](repeating: 0x4F, count: 8_192)
        var timings: [Double] = []
        let clock = ContinuousClock()
        let end = clock.now + .milliseconds(Int(seconds * 1_000))
        while clock.now < end {
            let elapsed = clock.measure {
                _ = block.withUnsafeBytes { pwrite(descriptor, $0.baseAddress, $0.count, 0) }
                _ = fdatasync(descriptor)
            }
            timings.append(Double(elapsed.components.attoseconds) / 1e12 + Double(elapsed.components.seconds) * 1e6)
        }
        guard !timings.isEmpty else { return nil }
        timings.sort()
        return FlushProbe(
            median: timings[timings.count / 2],
            p99: timings[min(timings.count - 1, timings.count * 99 / 100)],
            count: timings.count
        )
    }
}
