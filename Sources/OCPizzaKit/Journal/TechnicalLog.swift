public import Foundation

/// The technical event log's rules: sealing and verifying.
public enum TechnicalLog {
    /// Seals an event after the log's last one (`nil` for an empty log). When the log is empty
    /// or its last event was signed by another key, a ``TechnicalEvent/Kind/keyRotation`` event
    /// naming the new public key comes first.
    ///
    /// - Returns: the events to append, the requested one last.
    public static func seal(
        _ kind: TechnicalEvent.Kind,
        pizzeria: Pizzeria.ID? = nil,
        detail: String,
        after last: TechnicalEvent?,
        key: JournalSigningKey,
        at date: Date
    ) throws(JournalError) -> [TechnicalEvent] {
        var events: [TechnicalEvent] = []
        if last?.keyID != key.keyID {
            let from = last.map { " (after \($0.keyID))" } ?? ""
            let detail = "journal signing key \(key.keyID) takes effect\(from)"
            events.append(try sealed(.keyRotation, pizzeria: nil, detail: detail, publicKey: key.publicKey.base64, after: last, key: key, at: date))
        }
        events.append(try sealed(kind, pizzeria: pizzeria, detail: detail, publicKey: nil, after: events.last ?? last, key: key, at: date))
        return events
    }

    private static func sealed(
        _ kind: TechnicalEvent.Kind,
        pizzeria: Pizzeria.ID?,
        detail: String,
        publicKey: String?,
        after last: TechnicalEvent?,
        key: JournalSigningKey,
        at date: Date
    ) throws(JournalError) -> TechnicalEvent {
        let milliseconds = max(JournalEncoding.milliseconds(date), last.map { JournalEncoding.milliseconds($0.recordedAt) } ?? .min)
        var event = TechnicalEvent(
            sequence: (last?.sequence ?? 0) + 1,
            recordedAt: JournalEncoding.date(milliseconds: milliseconds),
            kind: kind,
            pizzeria: pizzeria,
            detail: detail,
            publicKey: publicKey,
            keyID: key.keyID,
            previousHash: last?.hash ?? JournalEntry.genesisHash,
            hash: "",
            signature: ""
        )
        event.hash = event.computedHash
        event.signature = try key.sign(hash: event.hash)
        return event
    }

    /// Verifies the log from its first event, against the trusted public keys, and names the
    /// first bad event (``JournalVerification/pizzeria`` is `nil`).
    public static func verify(_ events: some Sequence<TechnicalEvent>, trusting keys: [JournalPublicKey]) -> JournalVerification {
        let trusted = Dictionary(keys.map { ($0.keyID, $0) }) { first, _ in first }
        var result = JournalVerification(pizzeria: nil, verified: 0, lastSequence: nil, failure: nil)
        var previous: TechnicalEvent?
        for event in events {
            func fail(_ problem: JournalVerification.Problem, _ detail: String, _ sequence: Int64? = nil) -> JournalVerification {
                var failed = result
                failed.failure = JournalVerification.Failure(sequence: sequence ?? event.sequence, problem: problem, detail: detail)
                return failed
            }
            let expected = (previous?.sequence ?? 0) + 1
            if event.sequence > expected { return fail(.missing, "the event after #\(expected - 1) is missing", expected) }
            if event.sequence < expected { return fail(.outOfOrder, "comes after #\(expected - 1)") }
            guard event.previousHash == previous?.hash ?? JournalEntry.genesisHash else {
                return fail(.brokenChain, "its previous hash is not the hash of the event before")
            }
            guard event.computedHash == event.hash else { return fail(.altered, "its content does not hash to its hash") }
            if event.kind == .keyRotation {
                guard let announced = event.publicKey.flatMap({ try? JournalPublicKey(base64: $0) }), trusted[announced.keyID] == announced,
                    announced.keyID == event.keyID
                else { return fail(.untrustedKey, "a key rotation to a key the verifier does not trust") }
            }
            if event.kind == .keyRotation {
                guard let announced = event.publicKey.flatMap({ try? JournalPublicKey(base64: $0) }), trusted[announced.keyID] == announced,
                    announced.keyID == event.keyID
                else { return fail(.untrustedKey, "a key rotation to a key the verifier does not trust") }
            }
            guard let key = trusted[event.keyID] else { return fail(.untrustedKey, "signed by \(event.keyID), which the verifier does not trust") }
            guard key.isValidSignature(event.signature, forHash: event.hash) else { return fail(.badSignature, "its signature does not verify") }
            guard event.recordedAt >= previous?.recordedAt ?? .distantPast else { return fail(.backdated, "recorded before the event before it") }
            result.verified += 1
            result.lastSequence = event.sequence
            previous = event
        }
        return result
    }
}
