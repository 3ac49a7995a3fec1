import IPCase

/// Application, publication and registration numbers in each office's style. Counters rise by
/// small random steps, so numbers look issued in sequence; a counter never wraps, so no number
/// repeats (a serial outgrows its usual width instead, as offices' series do).
struct Numbering {
    private var kzApplication = 100
    private var kzTrademark = 4_000
    private var kzPatent = 34_100
    private var kzUtilityModel = 7_300
    private var kzDesign = 1_100
    private var kzMark = 78_000
    private var kzCopyrightApplication = 2_000
    private var kzCopyright = 41_500
    private var eaApplication = 1_000
    private var eaPatent = 41_000
    private var woApplication = 50_000
    private var woPublication = 10_000
    private var epApplication = 800_000
    private var epPatent = 3_900_000
    private var usApplication = 100_000
    private var usProvisional = 100_000
    private var usPatent = 11_200_000

    init(random: inout SampleRandom) {
        kzApplication += random.below(300)
        kzPatent += random.below(500)
        eaApplication += random.below(2_000)
        woApplication += random.below(300)
        epApplication += random.below(50_000)
        usApplication += random.below(500_000)
        usProvisional += random.below(500_000)
    }

    private static func step(_ counter: inout Int, _ random: inout SampleRandom, max: Int = 17) -> Int {
        counter += 1 + random.below(max)
        return counter
    }

    /// A KZ application: `2023/0456.1` (inventions .1, utility models .2, designs .3); trademarks `2023/012345`.
    mutating func kzApplication(_ kind: RightKind, year: Int, random: inout SampleRandom) -> String {
        switch kind {
        case .trademark:
            let number = Self.step(&kzTrademark, &random, max: 40)
            return "\(year)/\(SampleText.padded(number, 6))"
        case .utilityModel:
            return "\(year)/\(SampleText.padded(Self.step(&kzApplication, &random), 4)).2"
        case .design:
            return "\(year)/\(SampleText.padded(Self.step(&kzApplication, &random), 4)).3"
        case .software, .database, .work, .knowHow:
            return "\(year)/\(SampleText.padded(Self.step(&kzCopyrightApplication, &random, max: 30), 5))-AP"
        case .patent, .pctApplication, .provisional, .selectionAchievement:
            return "\(year)/\(SampleText.padded(Self.step(&kzApplication, &random), 4)).1"
        }
    }

    /// A KZ title number: patents `36123`, utility models `8912`, designs `1534`, trademarks `91234`.
    mutating func kzRegistration(_ kind: RightKind, random: inout SampleRandom) -> String {
        switch kind {
        case .trademark: String(Self.step(&kzMark, &random, max: 60))
        case .utilityModel: String(Self.step(&kzUtilityModel, &random, max: 9))
        case .design: String(Self.step(&kzDesign, &random, max: 5))
        case .software, .database, .work, .knowHow: String(Self.step(&kzCopyright, &random, max: 40))
        case .patent, .pctApplication, .provisional, .selectionAchievement:
            String(Self.step(&kzPatent, &random, max: 9))
        }
    }

    /// A Eurasian application: `202391234` (year, then five digits).
    mutating func eaApplication(year: Int, random: inout SampleRandom) -> String {
        "\(year)\(SampleText.padded(Self.step(&eaApplication, &random, max: 40), 5))"
    }

    /// A Eurasian patent: `047123`.
    mutating func eaPatent(random: inout SampleRandom) -> String {
        SampleText.padded(Self.step(&eaPatent, &random, max: 30), 6)
    }

    /// A PCT application filed with `receivingOffice`: `PCT/KZ2023/050012`.
    mutating func pctApplication(receivingOffice: String, year: Int, random: inout SampleRandom) -> String {
        "PCT/\(receivingOffice)\(year)/\(SampleText.padded(Self.step(&woApplication, &random), 6))"
    }

    /// A PCT publication: `WO 2024/123456`.
    mutating func pctPublication(year: Int, random: inout SampleRandom) -> String {
        "WO \(year)/\(SampleText.padded(Self.step(&woPublication, &random, max: 900), 6))"
    }

    /// A European application: `23 812 345.6` (two-digit year, six digits, check digit).
    mutating func epApplication(year: Int, random: inout SampleRandom) -> String {
        let serial = Self.step(&epApplication, &random, max: 400)
        let yy = year % 100
        let digits = yy * 1_000_000 + serial
        // A weighted sum stands in for the EPO's check digit.
        var sum = 0
        var rest = digits
        var weight = 1
        while rest > 0 {
            sum += (rest % 10) * (weight % 2 == 1 ? 2 : 1)
            rest /= 10
            weight += 1
        }
        let serialText = SampleText.padded(serial, 6)
        let head = serialText.dropLast(3)
        let tail = serialText.suffix(3)
        return "\(SampleText.padded(yy, 2)) \(head) \(tail).\(sum % 10)"
    }

    /// A European patent: `4123456`.
    mutating func epPatent(random: inout SampleRandom) -> String {
        String(Self.step(&epPatent, &random, max: 900))
    }

    /// A US application: `18/123,456` (series by filing year); provisional `63/412,345`.
    mutating func usApplication(provisional: Bool, year: Int, random: inout SampleRandom) -> String {
        if provisional {
            let number = Self.step(&usProvisional, &random, max: 400)
            return "63/\(SampleText.grouped(number, separator: ","))"
        }
        let series = year <= 2019 ? 16 : year <= 2022 ? 17 : year <= 2024 ? 18 : 19
        let number = Self.step(&usApplication, &random, max: 400) + 100_000
        return "\(series)/\(SampleText.grouped(number, separator: ","))"
    }

    /// A US patent: `11,987,654`.
    mutating func usPatent(random: inout SampleRandom) -> String {
        SampleText.grouped(Self.step(&usPatent, &random, max: 900), separator: ",")
    }
}
