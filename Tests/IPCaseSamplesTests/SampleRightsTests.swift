import IPCase
import Testing

@testable import IPCaseSamples

@Suite("Generated right sets")
struct SampleRightsTests {
    @Test(arguments: [0, 1, 7, 10_000])
    func yieldsExactlyTheRequestedCountWithUniqueReferences(count: Int) {
        let rights = Array(SamplePortfolio.rights(count: count, seed: 3, asOf: Fixture.asOf))
        #expect(rights.count == count)
        #expect(Set(rights.map(\.right.reference)).count == count)
        #expect(Set(rights.map(\.right.id)).count == count)
    }

    @Test func iteratingTwiceGivesTheSameRightsAndOtherSeedsDiffer() {
        let sequence = SamplePortfolio.rights(count: 500, seed: 11, asOf: Fixture.asOf)
        #expect(Array(sequence) == Array(sequence))
        #expect(Array(SamplePortfolio.rights(count: 500, seed: 12, asOf: Fixture.asOf)) != Array(sequence))
    }

    @Test func rightsScaleKeepsDemoPeopleAndFamilies() {
        let portfolio = SamplePortfolio.generate(seed: 5, asOf: Fixture.asOf, scale: .rights(2_000))
        #expect(portfolio.rights.count == 2_000)
        #expect(portfolio.offices.count == 2)
        #expect(portfolio.disclosures.isEmpty && portfolio.deals.isEmpty && portfolio.agreements.isEmpty)
        let families = Set(portfolio.families.map(\.id))
        #expect(portfolio.rights.allSatisfy { $0.right.family.map(families.contains) ?? false })
    }

    @Test func familiesAreSpreadOverTheGivenDesks() {
        var desks: [SampleDesk] = []
        for office in 0..<50 {
            for attorney in 0..<20 {
                let officeID = ID<Office>(Int64(office + 1))
                let attorneyID = ID<Party>(Int64(office * 20 + attorney + 1))
                desks.append(SampleDesk(office: officeID, attorney: attorneyID))
            }
        }
        let rights = Array(SamplePortfolio.rights(count: 5_000, seed: 1, asOf: Fixture.asOf, desks: desks))
        #expect(Set(rights.map(\.right.office)).count == 50)
        #expect(Set(rights.compactMap(\.right.responsibleAttorney)).count == 1_000)
        for sample in rights {
            let attorney = Int(sample.right.responsibleAttorney!.rawValue)
            #expect(Int(sample.right.office.rawValue) == (attorney - 1) / 20 + 1)
        }
    }

    @Test func largeSetsMixOfficesKindsAndStates() {
        let rights = Array(SamplePortfolio.rights(count: 10_000, seed: 8, asOf: Fixture.asOf))
        #expect(Set(rights.map(\.right.jurisdiction.code)) == ["KZ", "EA", "WO", "EP", "US"])
        #expect(Set(rights.map(\.right.state)).count >= 12)
        let events = rights.reduce(0) { $0 + $1.history.count }
        #expect(events > 8 * rights.count)
    }
}
