import PropertyBased

/// The generators of fuzzed command sequences, shared by the in-memory and PostgreSQL runs.
package enum FuzzGenerators {
    /// One generated step; every number shrinks towards the simplest command, by the manager, on the first order.
    static let step = zip(
        Gen.int(in: 0...107),
        Gen.int(in: 0...19),
        Gen.int(in: 0...9),
        Gen.int(in: 0...99),
        Gen.int(in: 0...99),
        Gen.int(in: 0...99),
        zip(Gen.int(in: 0...6), Gen.int(in: 0...2), Gen.int(in: 0...7), Gen.int(in: 0...3), Gen.int(in: 0...23))
            .map { FuzzLine(product: $0, size: $1, quantity: $2, option: $3, fault: $4) }
            .array(of: 1...2)
    )
    .map { FuzzStep(kind: $0, who: $1, target: $2, a: $3, b: $4, c: $5, lines: $6) }

    /// A step with its timing and the pause before it.
    static let timedStep = zip(step, Gen.int(in: 0...19), Gen.int(in: 0...9))
        .map {
            var step = $0
            step.when = $1
            step.pause = $2
            return step
        }

    /// A sequence of 1 to 20 steps.
    package static let sequence = timedStep.array(of: 1...20)

    /// Opening stock of the scarce ingredients: one index into ``FuzzWorld/openingLevels`` each.
    package static let opening = Gen.int(in: 0...4).array(of: 7)
}
