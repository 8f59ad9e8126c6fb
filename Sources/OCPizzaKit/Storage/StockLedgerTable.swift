/// The in-memory store's stock ledger: per pizzeria, each decision's ``StockLedgerBatch`` as the
/// ``Rulebook`` returned it, with the sequence of its first entry.
///
/// A placement moves 9 ingredients; building its 9 entries, each with its own copies of the
/// pizzeria, order, actor and date, cost more than the rest of writing the decision. Here a
/// decision appends one batch, and entries are built only when the ledger is read. The entries
/// of a batch are numbered one after the other, as the store numbers them under its lock.
struct StockLedgerTable {
    /// A batch and the sequence of its first entry.
    private struct Run {
        let first: Int64
        let batch: StockLedgerBatch

        /// The sequence of its last entry.
        var last: Int64 { first + Int64(batch.changes.count) - 1 }
    }

    /// Each pizzeria's runs, in increasing sequence.
    private var runs: [Pizzeria.ID: [Run]] = [:]
    /// How many entries the table holds.
    private(set) var count = 0

    init() {}

    /// A table of entries, each kept as a batch of one (entries come from a snapshot, numbered
    /// in any way).
    init(_ entries: [StockLedgerEntry]) {
        for entry in entries.sorted(by: { $0.sequence < $1.sequence }) {
            let batch = StockLedgerBatch(
                pizzeria: entry.pizzeria,
                order: entry.order,
                actor: entry.actor,
                at: entry.at,
                reason: entry.reason,
                changes: [entry.change]
            )
            append(batch, first: entry.sequence)
        }
    }

    /// Appends a batch whose entries are numbered from `first`, above every sequence in the table.
    mutating func append(_ batch: StockLedgerBatch, first: Int64) {
        guard !batch.changes.isEmpty else { return }
        runs[batch.pizzeria, default: []].append(Run(first: first, batch: batch))
        count += batch.changes.count
    }

    /// A pizzeria's entries after a sequence, oldest first, at most `limit`.
    func entries(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) -> [StockLedgerEntry] {
        guard let runs = runs[pizzeria], limit > 0 else { return [] }
        // The first run with an entry after `sequence`.
        var low = 0
        var high = runs.count
        while low < high {
            let middle = (low + high) / 2
            if runs[middle].last <= sequence { low = middle + 1 } else { high = middle }
        }
        var entries: [StockLedgerEntry] = []
        for run in runs[low...] {
            let skipped = Int(max(0, sequence - run.first + 1))
            for (offset, change) in run.batch.changes.enumerated().dropFirst(skipped) {
                guard entries.count < limit else { return entries }
                entries.append(run.batch.entry(change, sequence: run.first + Int64(offset)))
            }
        }
        return entries
    }

    /// Every entry of every pizzeria, by sequence.
    var allEntries: [StockLedgerEntry] {
        runs.values.flatMap { runs in
            runs.flatMap { run in run.batch.changes.enumerated().map { run.batch.entry($1, sequence: run.first + Int64($0)) } }
        }
        .sorted { $0.sequence < $1.sequence }
    }
}
