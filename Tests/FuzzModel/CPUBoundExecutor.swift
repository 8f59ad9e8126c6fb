import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A task executor with one thread of its own, for the fuzzers' CPU-bound work.
///
/// Swift concurrency runs every test on a pool of one thread per core: two on a two-core machine.
/// The in-memory fuzzers (four shards and the third store) compute for a minute in all without
/// waiting on anything, so on that pool they held both threads for tens of seconds, and every other test's deadlines
/// (a Stripe cancellation, a stream's first event, a database's time limit) fired late and failed.
/// Run under ``withTaskExecutorPreference(_:isolation:operation:)`` with ``shared``, the fuzzers
/// take turns on this one thread, which runs at the lowest priority (nice 19, on Linux a
/// per-thread setting): it computes when a core is free, and the tests that wait on time (a
/// cancellation, a stream's event, a server's idle timeout) get the cores first.
public final class CPUBoundExecutor: TaskExecutor, @unchecked Sendable {
    /// The executor every fuzzer of the process shares.
    public static let shared = CPUBoundExecutor(name: "ocpizza.cpu-bound")

    /// Guards `jobs`; signalled when one is enqueued.
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []

    private init(name: String) {
        // The thread runs for as long as the process, and keeps the executor with it.
        let thread = Thread { [self] in self.runJobs() }
        thread.name = name
        thread.start()
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    /// Runs the jobs in the order they came, for ever (the executor lives as long as the process).
    private func runJobs() {
        #if canImport(Glibc)
        // `who` 0 is the calling thread under NPTL; a failure leaves the priority as it was.
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 19)
        #endif
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = jobs
            jobs.removeAll(keepingCapacity: true)
            condition.unlock()
            for job in batch { job.runSynchronously(on: asUnownedTaskExecutor()) }
        }
    }
}
