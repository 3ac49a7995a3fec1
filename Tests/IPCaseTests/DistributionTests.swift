import Foundation
import IPCase
import Testing

/// A typical university policy: 15 % administration, costs recovered, net 40/20/40.
let universityPolicy = DistributionPolicy(
    office: 1, name: "IP policy 2020", effectiveFrom: date("2020-01-01"), administrativeShare: 1_500,
    inventorsShare: 4_000, departmentShare: 2_000, institutionShare: 4_000, source: "Rector's order No. 12")

let thirds = [InventorShare(101, 3_333), InventorShare(102, 3_333), InventorShare(103, 3_334)]

func kzt(_ minor: Int64) -> Money { Money(minorUnits: minor, .kzt) }

@Suite("Revenue distribution")
struct DistributionTests {
    @Test func onePrimeTotalSplitsExactlyAmongThreeInventorsAtAThirdEach() throws {
        // 10 000.03 KZT = 1 000 003 tiyn, a prime.
        let result = try universityPolicy.distribute(kzt(1_000_003), inventors: thirds)
        // 15 % of 1 000 003 = 150 000.45 → 150 000; the rest 850 003.
        #expect(result.amount(for: .administration) == kzt(150_000))
        // 40/20/40 of 850 003 = 340 001.2 / 170 000.6 / 340 001.2 → the leftover tiyn goes to .6.
        #expect(result.amount(for: .department) == kzt(170_001))
        #expect(result.amount(for: .institution) == kzt(340_001))
        // Inventors' 340 001 by 33.33/33.33/33.34 % = 113 322.33 / 113 322.33 / 113 356.33 → leftover to the 33.34 %.
        #expect(result.amount(for: .inventor(101)) == kzt(113_322))
        #expect(result.amount(for: .inventor(102)) == kzt(113_322))
        #expect(result.amount(for: .inventor(103)) == kzt(113_357))
        #expect(result.total == kzt(1_000_003))
        #expect(result.amount(for: .patentCosts) == kzt(0))
    }

    @Test func oneTiynGoesWholeToOneRecipient() throws {
        let result = try universityPolicy.distribute(kzt(1), inventors: thirds)
        #expect(result.total == kzt(1))
        #expect(result.lines.filter { !$0.amount.isZero }.map(\.recipient) == [.inventor(103)])
        #expect(result.lines.allSatisfy { !$0.amount.isNegative })
    }

    @Test func zeroDistributesZeroToEveryone() throws {
        let result = try universityPolicy.distribute(kzt(0), unreimbursedPatentCosts: kzt(50_000_00), inventors: thirds)
        #expect(result.total == kzt(0))
        #expect(result.lines.count == 7)  // administration, patent costs, three inventors, department, institution
        #expect(result.lines.allSatisfy { $0.amount.isZero })
        #expect(result.patentCostsOutstanding == kzt(50_000_00))
    }

    @Test func sponsorsAdministrationAndCostRecoveryComeFirstInThatOrder() throws {
        let result = try universityPolicy.distribute(
            kzt(1_000_000_00), sponsors: [SponsorShare(201, 2_000)], unreimbursedPatentCosts: kzt(120_000_00),
            inventors: [InventorShare(101, 10_000)])
        #expect(
            result.lines.map(\.recipient.kind) == [
                "sponsor", "administration", "patent-costs", "inventor", "department", "institution",
            ])
        #expect(result.amount(for: .sponsor(201)) == kzt(200_000_00))  // 20 % of 1 000 000
        #expect(result.amount(for: .administration) == kzt(120_000_00))  // 15 % of 800 000
        #expect(result.amount(for: .patentCosts) == kzt(120_000_00))  // all costs, out of 680 000
        #expect(result.amount(for: .inventor(101)) == kzt(224_000_00))  // 40 % of net 560 000
        #expect(result.amount(for: .department) == kzt(112_000_00))
        #expect(result.amount(for: .institution) == kzt(224_000_00))
        #expect(result.patentCostsOutstanding == kzt(0))
        #expect(result.total == kzt(1_000_000_00))
        #expect(result.lines[3].basis == "100.00 % of the inventors' 224 000.00 KZT (40.00 % of net 560 000.00 KZT)")
        #expect(result.lines[0].basis == "20.00 % of gross 1 000 000.00 KZT (sponsor share)")
    }

    @Test func costRecoveryIsCappedAtWhatRemainsAndTheRestStaysOutstanding() throws {
        let result = try universityPolicy.distribute(
            kzt(100_000_00), unreimbursedPatentCosts: kzt(300_000_00), inventors: thirds)
        #expect(result.amount(for: .administration) == kzt(15_000_00))
        #expect(result.amount(for: .patentCosts) == kzt(85_000_00))
        #expect(result.patentCostsOutstanding == kzt(215_000_00))
        #expect(result.lines.filter { $0.recipient.kind == "inventor" }.allSatisfy { $0.amount.isZero })
        #expect(result.total == kzt(100_000_00))
    }

    @Test func aPolicyThatDoesNotRecoverCostsHasNoCostLine() throws {
        var policy = universityPolicy
        policy.recoversPatentCosts = false
        let result = try policy.distribute(kzt(100_00), unreimbursedPatentCosts: kzt(50_00), inventors: thirds)
        #expect(!result.lines.contains { $0.recipient == .patentCosts })
        #expect(result.patentCostsOutstanding == kzt(50_00))
        #expect(result.total == kzt(100_00))
    }

    static let policies = [
        universityPolicy,
        DistributionPolicy(
            office: 1, name: "IP policy 2024", effectiveFrom: date("2024-07-01"), administrativeShare: 1_000,
            inventorsShare: 5_000, departmentShare: 1_000, institutionShare: 4_000),
    ]

    @Test(
        "the policy is chosen by the payment date",
        arguments: [
            ("2020-01-01", "IP policy 2020"),
            ("2024-06-30", "IP policy 2020"),
            ("2024-07-01", "IP policy 2024"),
            ("2031-12-31", "IP policy 2024"),
        ])
    func policyIsChosenByPaymentDate(_ received: String, _ name: String) throws {
        let payment = Payment(
            id: 1, office: 1, agreement: 4, amount: kzt(1_000_00), kind: .royalty, receivedOn: date(received))
        let result = try payment.distribution(policies: Self.policies, inventors: thirds)
        #expect(result.policy.name == name)
        #expect(result.amount(for: .administration) == (name == "IP policy 2020" ? kzt(150_00) : kzt(100_00)))
    }

    @Test func noPolicyBeforeTheFirstTakesEffect() {
        let payment = Payment(
            id: 1, office: 1, agreement: 4, amount: kzt(1_000_00), kind: .royalty, receivedOn: date("2019-12-31"))
        #expect(throws: DistributionError.noPolicy(on: date("2019-12-31"))) {
            try payment.distribution(policies: Self.policies, inventors: thirds)
        }
        #expect(
            DistributionError.noPolicy(on: date("2019-12-31")).description
                == "no distribution policy is in effect on 2019-12-31")
    }

    @Test func twoPoliciesTakingEffectTheSameDayAreRefused() {
        var twin = universityPolicy
        twin.name = "IP policy 2020 (draft)"
        #expect(
            throws: DistributionError.ambiguousPolicies(
                on: date("2020-01-01"), names: ["IP policy 2020", "IP policy 2020 (draft)"])
        ) {
            try DistributionPolicy.effective(on: date("2021-05-05"), among: [universityPolicy, twin])
        }
    }

    @Test func aPatentCostReimbursementIsNotDistributedAsIncome() throws {
        let payment = Payment(
            id: 1, office: 1, agreement: 4, amount: kzt(40_000_00), kind: .patentCostReimbursement,
            receivedOn: date("2025-02-01"))
        let result = try payment.distribution(
            policies: Self.policies, unreimbursedPatentCosts: kzt(100_000_00), inventors: thirds)
        #expect(result.lines.map(\.recipient) == [.patentCosts])
        #expect(result.total == kzt(40_000_00))
        #expect(result.patentCostsOutstanding == kzt(60_000_00))
    }

    @Test func inconsistentInputIsRefusedWithTheReason() {
        var bad = universityPolicy
        bad.departmentShare = 2_500
        #expect(
            throws: DistributionError.invalidPolicy(
                name: "IP policy 2020",
                problems: ["inventors, department and institution shares sum to 105.00 %, not 100.00 %"])
        ) { try bad.distribute(kzt(100), inventors: thirds) }
        #expect(throws: DistributionError.sponsorSharesExceedWhole(total: 11_000)) {
            try universityPolicy.distribute(
                kzt(100), sponsors: [SponsorShare(1, 6_000), SponsorShare(2, 5_000)], inventors: thirds)
        }
        #expect(
            throws: DistributionError.invalidInventorShares(["inventor shares summing to 100 % (they sum to 66.66 %)"])
        ) {
            try universityPolicy.distribute(kzt(100), inventors: Array(thirds.prefix(2)))
        }
        #expect(throws: DistributionError.money(.currencyMismatch(.kzt, .usd))) {
            try universityPolicy.distribute(
                kzt(100), unreimbursedPatentCosts: Money(minorUnits: 5, .usd), inventors: thirds)
        }
        #expect(throws: DistributionError.negativeAmount("the gross amount -1.00 KZT")) {
            try universityPolicy.distribute(kzt(-1_00), inventors: thirds)
        }
    }

    @Test func aDistributionSurvivesJSONForStorage() throws {
        let result = try universityPolicy.distribute(
            kzt(1_000_003), sponsors: [SponsorShare(201, 1_000)], inventors: thirds)
        let data = try JSONEncoder().encode(result)
        #expect(try JSONDecoder().decode(Distribution.self, from: data) == result)
        #expect(String(decoding: data, as: UTF8.self).contains("\"patent-costs\""))
    }

    @Test func partsAlwaysSumToTheWholeAndNeverGoNegative() throws {
        var generator = SeededGenerator(seed: 0x1BCA5E)
        for round in 0..<3_000 {
            let gross: Int64 =
                switch round % 4 {
                case 0: Int64.random(in: 0...100, using: &generator)  // a few tiyn
                case 1: Int64.random(in: 0...10_000_000, using: &generator)
                case 2: Int64.random(in: 0...1_000_000_000_000_000, using: &generator)
                default: Int64.random(in: 0...Int64.max, using: &generator)  // the whole range
                }
            let sponsors = randomShares(
                count: Int.random(in: 0...3, using: &generator), total: Int.random(in: 0...10_000, using: &generator),
                &generator
            )
            .enumerated().map { SponsorShare(ID(Int64(300 + $0.offset)), BasisPoints(points: $0.element)!) }
            let inventors = randomShares(
                count: Int.random(in: 1...7, using: &generator), total: 10_000, &generator, positive: true
            )
            .enumerated().map { InventorShare(ID(Int64(100 + $0.offset)), BasisPoints(points: $0.element)!) }
            let net = randomShares(count: 3, total: 10_000, &generator)
            let policy = DistributionPolicy(
                office: 1, name: "random", effectiveFrom: date("2020-01-01"),
                administrativeShare: BasisPoints(points: Int.random(in: 0...10_000, using: &generator))!,
                recoversPatentCosts: Bool.random(using: &generator),
                inventorsShare: BasisPoints(points: net[0])!, departmentShare: BasisPoints(points: net[1])!,
                institutionShare: BasisPoints(points: net[2])!)
            let costs = kzt(Int64.random(in: 0...max(0, gross / 2), using: &generator))
            let result = try policy.distribute(
                kzt(gross), sponsors: sponsors, unreimbursedPatentCosts: costs, inventors: inventors)
            #expect(result.total == kzt(gross), "round \(round)")
            #expect(result.lines.allSatisfy { !$0.amount.isNegative }, "round \(round)")
            for line in result.lines {
                guard let rate = line.rate else { continue }
                // Each rated part is within one tiyn of its exact share of its base.
                let exact = line.base.minorUnits.multipliedFullWidth(by: Int64(rate.value))
                let mine = line.amount.minorUnits.multipliedFullWidth(by: 10_000)
                let difference =
                    (Int128(mine.high) << 64 | Int128(mine.low)) - (Int128(exact.high) << 64 | Int128(exact.low))
                #expect(difference.magnitude < 10_000, "round \(round): \(line.basis)")
            }
        }
    }
}

/// `count` random basis-point shares summing to `total` (each positive when asked and possible).
func randomShares(count: Int, total: Int, _ generator: inout SeededGenerator, positive: Bool = false) -> [Int] {
    guard count > 0 else { return [] }
    let floor = positive ? 1 : 0
    var cuts = (0..<(count - 1)).map { _ in Int.random(in: 0...(total - floor * count), using: &generator) }.sorted()
    cuts = [0] + cuts + [total - floor * count]
    return (0..<count).map { cuts[$0 + 1] - cuts[$0] + floor }
}
