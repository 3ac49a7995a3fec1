import IPCase

/// The university's funded projects and technology offers in the demo, derived from its
/// disclosures, rights and parties (no random numbers, so the rest of the portfolio is as
/// before). Sample figures, not quotes of a programme.
enum GrantsAndMarketing {
    /// A commercialization grant (stage 1 20 000 000 KZT over six months, stage 2 80 000 000 over
    /// eighteen, 10 % co-financing, stage 1's put in) running since about ten months before
    /// `asOf`, and a science-ministry grant awarded three months ago; each with the first
    /// approved disclosures and their rights.
    static func projects(
        parties: [SampleParty], disclosures: [SampleDisclosure], rights: [SampleRight], asOf: CivilDate
    ) -> [SampleProject] {
        let office = SamplePortfolio.universityOffice
        func funder(_ name: String) -> ID<Party>? {
            parties.first { $0.office == office && $0.party.name == name && $0.party.has(.funder) }?.party.id
        }
        let approved = disclosures.filter {
            $0.disclosure.office == office && $0.disclosure.state == .approvedForProtection
        }.map(\.disclosure.id)
        func rightsOf(_ disclosure: ID<Disclosure>) -> [ID<Right>] {
            rights.filter { $0.right.disclosure == disclosure }.map(\.right.id)
        }
        func kzt(_ tenge: Int64) -> Money { Money(minorUnits: tenge * 100, .kzt) }
        // The office's first attorney runs the projects and is reminded of them.
        let manager = parties.first { $0.office == office && $0.party.has(.attorney) }?.party.id
        var projects: [SampleProject] = []
        if let agency = funder("Technology Commercialization Agency JSC"), let disclosure = approved.first {
            let start = asOf.adding(days: -300)
            let second = SampleDates.add(months: 6, to: start)
            projects.append(
                SampleProject(
                    project: FundedProject(
                        id: 0, office: office, reference: "GR-\(start.year)-001",
                        title: "Pilot production of the licensed technology", funder: agency,
                        programme: "Commercialization grant", minimumCofinancing: 1_000,
                        stages: [
                            ProjectStage(
                                amount: kzt(20_000_000), from: start, to: second.adding(days: -1), cofinancing: kzt(2_200_000)),
                            ProjectStage(amount: kzt(80_000_000), from: second, to: SampleDates.add(months: 18, to: second)),
                        ],
                        disclosures: [disclosure], rights: rightsOf(disclosure),
                        obligations: [
                            .stageReports(dueWithinDays: 30), .finalReport(dueWithinDays: 60),
                            .deliverable(name: "Pilot batch test report", dueOn: SampleDates.add(months: 9, to: second)),
                        ],
                        manager: manager),
                    events: [.award(on: start.adding(days: -20)), .start(on: start)]))
        }
        if let ministry = funder("State Science Grant Programme Operator"), approved.count > 1 {
            let awarded = asOf.adding(days: -90)
            let start = asOf.adding(days: 30)
            projects.append(
                SampleProject(
                    project: FundedProject(
                        id: 0, office: office, reference: "GR-\(awarded.year)-002",
                        title: "Scale-up of the process to industrial trials", funder: ministry,
                        programme: "Science-ministry commercialization grant", minimumCofinancing: 2_000,
                        stages: [ProjectStage(amount: kzt(150_000_000), from: start, to: SampleDates.add(months: 24, to: start))],
                        registration: "0\(awarded.year % 100)RK00871", registeredOn: awarded.adding(days: 7),
                        disclosures: [approved[1]], rights: rightsOf(approved[1]),
                        obligations: [
                            .stageReports(dueWithinDays: 30), .finalReport(dueWithinDays: 60),
                            .stateRegistration(dueWithinDays: 30),
                        ],
                        manager: manager),
                    events: [.award(on: awarded)]))
        }
        return projects
    }

    /// An offer of the university's first approved disclosure and its rights, made four months
    /// before `asOf`, with outreach to three of its industry parties: one interested, one
    /// declined, one not yet answered.
    static func offers(
        parties: [SampleParty], disclosures: [SampleDisclosure], rights: [SampleRight], asOf: CivilDate
    ) -> [TechnologyOffer] {
        let office = SamplePortfolio.universityOffice
        guard
            let disclosure = disclosures.first(where: {
                $0.disclosure.office == office && $0.disclosure.state == .approvedForProtection
            })?.disclosure
        else { return [] }
        let companies = parties.filter {
            $0.office == office && $0.party.kind == .organization && $0.party.sector == .industry
        }.map(\.party.id)
        let offered = asOf.adding(days: -120)
        let answers: [Outreach.Response] = [.interested, .declined, .pending]
        let channels: [Outreach.Channel] = [.meeting, .email, .event]
        return [
            TechnologyOffer(
                id: 0, office: office, reference: "TO-\(offered.year)-001", title: disclosure.title,
                summary: "A technology of the university's \(disclosure.reference), available for licensing; "
                    + "the non-confidential summary omits what would destroy novelty.",
                disclosures: [disclosure.id],
                rights: rights.filter { $0.right.disclosure == disclosure.id }.map(\.right.id),
                readiness: disclosure.readiness, sectors: ["industry"], offeredOn: offered,
                outreach: zip(companies.prefix(3), 0...).map { company, index in
                    Outreach(
                        on: offered.adding(days: 14 * (index + 1)), channel: channels[index], company: company,
                        response: answers[index])
                })
        ]
    }
}
