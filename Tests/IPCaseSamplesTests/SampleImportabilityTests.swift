import IPCase
import Testing

@testable import IPCaseSamples

/// What `ipcase import rights|events` refuses must never be generated: repeated application
/// numbers, attorneys of another office, histories the right workflow refuses.
@Suite("Generated files import cleanly")
struct SampleImportabilityTests {
    @Test(arguments: [10_000, 100_000])
    func applicationNumbersNeverRepeatWithinAJurisdiction(count: Int) {
        var seen = Set<String>()
        var repeats: [String] = []
        for sample in SamplePortfolio.rights(count: count, seed: 11, asOf: Fixture.asOf) {
            guard let number = sample.right.applicationNumber else { continue }
            if !seen.insert("\(sample.right.jurisdiction.code) \(number)").inserted {
                repeats.append("\(sample.right.reference): \(sample.right.jurisdiction.code) \(number)")
            }
        }
        #expect(repeats.isEmpty, "\(repeats.count) repeated: \(repeats.prefix(5))")
        #expect(seen.count > count / 2)
    }

    @Test func everyRightNamesAnAttorneyOfItsOwnOffice() {
        let officeOf = Dictionary(uniqueKeysWithValues: Fixture.demo.parties.map { ($0.party.id, $0.office) })
        let crossing = Fixture.demo.rights.filter { sample in
            sample.right.responsibleAttorney.map { officeOf[$0] != sample.right.office } ?? false
        }
        #expect(crossing.isEmpty, "\(crossing.map(\.right.reference).prefix(5))")
        #expect(Fixture.demo.rights.allSatisfy { $0.right.responsibleAttorney != nil })
    }

    /// Every events.csv row read back as the import reads it (``RightStep``) and replayed
    /// through the right workflow from a draft reaches the state rights.csv states.
    @Test(arguments: [0, 10_000])
    func historiesReplayThroughTheWorkflowAsTheImportReadsThem(count: Int) throws {
        let rights =
            count == 0
            ? Fixture.demo.rights : Array(SamplePortfolio.rights(count: count, seed: 11, asOf: Fixture.asOf))
        var refused: [String] = []
        var mismatched: [String] = []
        var nationalPhases = 0
        for sample in rights {
            var right = sample.right
            right.state = .draft
            right.restorableUntil = nil
            for step in sample.history {
                let event = step.rightEvent
                let read = RightStep(
                    event: step.eventName, date: step.date, year: event?.year, reference: event?.reference,
                    restorableUntil: step.restorableUntil, rightKind: sample.right.kind)
                guard case .workflow(let transition) = read else { continue }
                if transition.kind == .nationalPhaseEntered { nationalPhases += 1 }
                do {
                    _ = try right.apply(transition)
                } catch {
                    refused.append("\(sample.right.reference) \(step.eventName) \(step.date): \(error)")
                    break
                }
            }
            if right.state != sample.right.state {
                mismatched.append("\(sample.right.reference): \(right.state) ≠ \(sample.right.state)")
            }
        }
        #expect(refused.isEmpty, "\(refused.count) refused, e.g. \(refused.prefix(3))")
        #expect(mismatched.isEmpty, "\(mismatched.count) end elsewhere, e.g. \(mismatched.prefix(3))")
        #expect(nationalPhases > 0, "PCT national phases are part of the histories")
    }
}
