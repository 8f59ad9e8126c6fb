import Foundation
import Synchronization

extension InMemoryStore {
    public func journal(at pizzeria: Pizzeria.ID, after sequence: Int64, limit: Int) async throws -> [JournalEntry] {
        state.withLock { state in
            let entries = state.journals[pizzeria] ?? []
            // Sequences run from 1 without a gap: entry n is at index n − 1.
            let start = Int(clamping: max(0, min(sequence, Int64(entries.count))))
            return Array(entries[start..<min(entries.count, start + max(0, min(limit, entries.count)))])
        }
    }

    public func journalPizzerias() async throws -> [Pizzeria.ID] {
        state.withLock { $0.journals.keys.sorted() }
    }

    public func closeJournal(_ period: JournalPeriod, at pizzeria: Pizzeria.ID, at date: Date) async throws -> JournalEntry {
        try state.withLock { state in
            let entries = state.journals[pizzeria] ?? []
            let existing = entries.last { $0.closing?.period.kind == period.kind && $0.closing?.period.label == period.label }
            let decision = try SalesJournal.close(
                period,
                at: pizzeria,
                recorded: entries.filter { $0.kind.isMoney && period.contains($0.recordedAt) },
                lastBeforeEnd: entries.last { $0.recordedAt < period.end },
                existing: existing,
                after: entries.last?.head,
                lastTechnicalEvent: state.technicalLog.last,
                key: journalKey,
                date: date
            )
            state.journals[pizzeria, default: []] += decision.append
            state.technicalLog += decision.log
            return decision.closing
        }
    }

    public func recordTechnicalEvent(
        _ kind: TechnicalEvent.Kind,
        pizzeria: Pizzeria.ID?,
        detail: String,
        at date: Date
    ) async throws -> TechnicalEvent {
        try state.withLock { state in
            let logged = try TechnicalLog.seal(kind, pizzeria: pizzeria, detail: detail, after: state.technicalLog.last, key: journalKey, at: date)
            state.technicalLog += logged
            return logged[logged.count - 1]
        }
    }

    public func technicalLog(after sequence: Int64, limit: Int) async throws -> [TechnicalEvent] {
        state.withLock { state in
            let start = Int(clamping: max(0, min(sequence, Int64(state.technicalLog.count))))
            return Array(state.technicalLog[start..<min(state.technicalLog.count, start + max(0, min(limit, state.technicalLog.count)))])
        }
    }
}
