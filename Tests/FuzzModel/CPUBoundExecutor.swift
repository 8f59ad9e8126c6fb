import Foundation

/// A task executor with one thread of its own, for the fuzzers' CPU-bound work.
///
/// Swift concurrency runs every test on a pool of one thread per core: two on a two-core machine.
/// The in-memory fuzzers (four shards and the third store) compute for a minute in all without
/// waiting on anything, so on that pool they held both threads for tens of seconds, and every other test's deadlines
/// (a Stripe cancellation, a stream's first event, a database's time limit) fired late and failed.
/// Run under ``withTaskExecutorPreference(_:isolation:operation:)`` with ``shared``, the fuzzers
/// take turns on this one thread, and the operating system shares the cores between it and the
/// pool: the other tests keep a core.
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
