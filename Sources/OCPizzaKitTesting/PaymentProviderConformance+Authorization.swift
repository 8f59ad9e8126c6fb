import Foundation
import OCPizzaKit
import Testing

extension PaymentProviderConformance {
    static let authorizationChecks: [Check] = [
        Check("a manual authorization holds the amount; its reference is non-empty and its metadata comes back on retrieve") { f in
            let metadata = ["ocpizza_order": UUID().uuidString.lowercased(), "ocpizza_check": "authorize"]
            let payment = try await f.provider.authorize(f.authorization(2_350, metadata: metadata))
            #expect(!payment.reference.isEmpty, "the reference is empty")
            #expect(payment.status == .authorized)
            #expect(payment.amount == f.money(2_350))
            #expect(payment.captured == f.zero, "nothing is charged by a manual authorization")
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.reference == payment.reference)
            #expect(retrieved.status == .authorized && retrieved.amount == f.money(2_350) && retrieved.captured == f.zero)
            for (key, value) in metadata {
                #expect(retrieved.metadata[key] == value, "metadata '\(key)' did not come back: \(retrieved.metadata)")
            }
        },
        Check("an automatic authorization charges the whole amount at once") { f in
            let payment = try await f.provider.authorize(f.authorization(1_890, captureMode: .automatic))
            #expect(payment.status == .captured)
            #expect(payment.amount == f.money(1_890) && payment.captured == f.money(1_890))
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.status == .captured && retrieved.captured == f.money(1_890) && retrieved.refunded == f.zero)
        },
        Check("amounts in minor units come back exactly: 1 234 authorized, 617 captured, 1 refunded") { f in
            let payment = try await f.provider.authorize(f.authorization(1_234))
            #expect(payment.amount.minorUnits == 1_234 && payment.amount.currency == f.currency)
            let captured = try await f.provider.capture(payment.reference, amount: f.money(617), idempotencyKey: f.key("capture"))
            #expect(captured.amount == f.money(1_234) && captured.captured == f.money(617))
            let refund = try await f.provider.refund(payment.reference, amount: f.money(1), idempotencyKey: f.key("refund"))
            #expect(refund.amount == f.money(1))
            let retrieved = try await f.provider.retrieve(payment.reference)
            #expect(retrieved.amount == f.money(1_234))
            #expect(retrieved.captured == f.money(617))
            #expect(retrieved.refunded == f.money(1))
        },
        Check("a declined payment method is .declined with a reason") { f in
            let error = await expectRefused(.declined, "authorizing with the declined method") {
                try await f.provider.authorize(f.authorization(2_350, method: f.declinedMethod))
            }
            if case .declined(let reason, _) = error {
                #expect(!reason.isEmpty, "the decline has no reason")
            }
        },
        Check("3-D Secure: .requiresAction names the waiting payment, which is authorized once the customer completes it") { f in
            guard let method = f.actionRequiredMethod else {
                return f.skip("3-D Secure", because: "the fixture has no actionRequiredMethod")
            }
            let error = await expectRefused(.requiresAction, "authorizing with the 3-D Secure method") {
                try await f.provider.authorize(f.authorization(4_200, method: method))
            }
            guard case .requiresAction(let action) = error else { return }
            try #require(!action.reference.isEmpty, "the customer action names no payment")
            let waiting = try await f.provider.retrieve(action.reference)
            #expect(waiting.status == .requiresAction && waiting.amount == f.money(4_200) && waiting.captured == f.zero)
            guard let completeAction = f.completeAction else {
                return f.skip("completing 3-D Secure", because: "the fixture has no completeAction")
            }
            try await completeAction(action)
            let authorized = try await f.provider.retrieve(action.reference)
            #expect(authorized.status == .authorized && authorized.amount == f.money(4_200) && authorized.captured == f.zero)
        },
        Check("a payment waiting for 3-D Secure can be voided") { f in
            guard let method = f.actionRequiredMethod else {
                return f.skip("voiding a 3-D Secure payment", because: "the fixture has no actionRequiredMethod")
            }
            let error = await expectRefused(.requiresAction, "authorizing with the 3-D Secure method") {
                try await f.provider.authorize(f.authorization(4_200, method: method))
            }
            guard case .requiresAction(let action) = error else { return }
            let voided = try await f.provider.void(action.reference, idempotencyKey: f.key("void"))
            #expect(voided.status == .voided)
            #expect(try await f.provider.retrieve(action.reference).status == .voided)
        },
        Check("retrieving an unknown reference is .notFound") { f in
            let reference = "ocpizza_missing_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            await expectRefused(.notFound, "retrieving \(reference)") { try await f.provider.retrieve(reference) }
        },
        Check("the same idempotency key twice authorizes once: both calls answer the same payment") { f in
            guard f.honoursIdempotencyKeys else {
                return f.skip("idempotent authorization", because: "the fixture says the provider ignores idempotency keys")
            }
            let request = f.authorization(2_990, key: f.key("authorize-twice"), metadata: ["ocpizza_check": "idempotency"])
            let first = try await f.provider.authorize(request)
            let second = try await f.provider.authorize(request)
            #expect(second.reference == first.reference, "a second payment was created: \(second.reference) after \(first.reference)")
            #expect(second.status == .authorized && second.amount == f.money(2_990))
        },
        Check("an idempotency key reused with a different amount is .invalidRequest") { f in
            guard f.honoursIdempotencyKeys else {
                return f.skip("idempotency key reuse", because: "the fixture says the provider ignores idempotency keys")
            }
            let key = f.key("authorize-reused")
            let first = try await f.provider.authorize(f.authorization(2_990, key: key))
            await expectRefused(.invalidRequest, "reusing the key of \(first.reference) for another amount") {
                try await f.provider.authorize(f.authorization(3_990, key: key))
            }
            let retrieved = try await f.provider.retrieve(first.reference)
            #expect(retrieved.status == .authorized && retrieved.amount == f.money(2_990))
        },
    ]
}
