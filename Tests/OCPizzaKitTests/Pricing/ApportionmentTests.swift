import PropertyBased
import Testing

@testable import OCPizzaKit

@Suite("Largest remainder apportionment")
struct ApportionmentTests {
    @Test("shares add up exactly and go to the largest remainders")
    func example() {
        // 500 × (1 100 | 1 300 | 550 | 250) / 3 200 = 171,875 | 203,125 | 85,9375 | 39,0625.
        #expect(Apportionment.largestRemainder(500, weights: [1_100, 1_300, 550, 250]) == [172, 203, 86, 39])
        #expect(Apportionment.largestRemainder(1, weights: [1, 1, 1]) == [1, 0, 0])
        #expect(Apportionment.largestRemainder(7, weights: [0, 0]) == [7, 0])
        #expect(Apportionment.largestRemainder(0, weights: [5, 3]) == [0, 0])
    }

    @Test("never overflows, even with extreme weights")
    func extremes() {
        let shares = Apportionment.largestRemainder(.max, weights: [.max, .max, 1])
        #expect(shares.reduce(0 as Int64) { $0 &+ $1 } == .max)
        #expect(Apportionment.multiplyDivideRoundingHalfUp(.max, 10_000, 10_000) == .max)
        #expect(Apportionment.multiplyDivideRoundingHalfUp(.max, 10_001, 10_000) == nil)
        #expect(Apportionment.multiplyDivideRoundingHalfUp(5, 1, 2) == 3)
        #expect(Apportionment.multiplyDivideRoundingHalfUp(4, 1, 3) == 1)
    }

    @Test("for random inputs the shares sum to the total and each is within one unit of its exact value")
    func property() async {
        await propertyCheck(input: Gen.int(in: 0...100_000), Gen.int(in: 0...5_000).array(of: 1...12)) { total, weights in
            let weights64 = weights.map(Int64.init)
            let shares = Apportionment.largestRemainder(Int64(total), weights: weights64)
            #expect(shares.reduce(0, +) == Int64(total))
            let sum = weights64.reduce(0, +)
            guard sum > 0 else { return }
            for (share, weight) in zip(shares, weights64) {
                let exactTimesSum = Int64(total) * weight
                #expect(share * sum >= exactTimesSum - sum && share * sum <= exactTimesSum + sum)
                #expect(share >= 0 && share <= max(weight, Int64(total)))
            }
        }
    }
}
