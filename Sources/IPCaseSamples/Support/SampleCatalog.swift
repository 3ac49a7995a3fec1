import IPCase

/// The invented names and technologies the sample is drawn from. Every person and company here
/// is fictitious; names are common Kazakh and Russian given names and surnames put together.
enum SampleCatalog {
    /// A technology the sample invents around: a title, its IPC symbols, and whether it is a
    /// green technology (its symbols are in the WIPO IPC Green Inventory).
    struct Technology {
        let title: String
        let ipc: [String]
        let green: Bool
        let department: Int
    }

    /// Departments of the university (indices used by ``Technology/department``).
    static let departments = [
        "Department of Petroleum Engineering",
        "Institute of Energy and Mechanical Engineering",
        "Department of Chemical Processes and Industrial Ecology",
        "Institute of Automation and Information Technologies",
        "Department of Metallurgy and Mineral Processing",
        "Institute of Geology and Mining",
        "Department of Biotechnology and Food Safety",
    ]

    static let technologies: [Technology] = [
        .init(
            title: "Sorbent for purifying oil-contaminated water from modified rice husk",
            ipc: ["C02F 1/28", "B01J 20/24"], green: true, department: 2),
        .init(
            title: "Wind turbine blade with passive pitch control for gusty steppe winds",
            ipc: ["F03D 1/06", "F03D 7/02"], green: true, department: 1),
        .init(
            title: "Perovskite-silicon tandem solar cell with a nickel oxide hole transport layer",
            ipc: ["H01L 31/04", "H01L 31/18"], green: true, department: 1),
        .init(
            title: "Solar air collector for drying grain on farms", ipc: ["F24S 10/50", "F26B 3/28"], green: true,
            department: 1),
        .init(
            title: "Native bacterial consortium for bioremediation of oil-contaminated soil",
            ipc: ["B09C 1/10", "C12N 1/20"], green: true, department: 6),
        .init(
            title: "Processing of municipal solid waste into refuse-derived fuel pellets",
            ipc: ["B09B 3/00", "C10L 5/46"], green: true, department: 2),
        .init(
            title: "Ground-coupled geothermal heat pump for district heating", ipc: ["F24T 10/10", "F25B 30/06"],
            green: true, department: 1),
        .init(
            title: "Membrane distillation unit powered by solar heat for brackish water",
            ipc: ["C02F 1/14", "B01D 61/36"], green: true, department: 2),
        .init(
            title: "Biogas digester for livestock manure in cold climates", ipc: ["C12M 1/107", "C02F 11/04"],
            green: true, department: 6),
        .init(
            title: "Concrete mix with fly ash from coal-fired power plants", ipc: ["C04B 28/04", "C04B 18/08"],
            green: true, department: 2),
        .init(
            title: "Cathode material for lithium-ion batteries from local manganese ore",
            ipc: ["H01M 4/505", "C01G 45/12"], green: true, department: 4),
        .init(
            title: "Controller balancing loads of a microgrid with solar and wind sources",
            ipc: ["H02J 3/38", "H02J 3/32"], green: true, department: 3),
        .init(
            title: "Drilling fluid with reduced filtration loss for high-temperature wells", ipc: ["C09K 8/035"],
            green: false, department: 0),
        .init(
            title: "Method of heap leaching copper from low-grade oxidised ores", ipc: ["C22B 15/00", "C22B 3/08"],
            green: false, department: 4),
        .init(
            title: "Flotation reagent for polymetallic lead-zinc ores", ipc: ["B03D 1/01", "B03D 1/008"], green: false,
            department: 4),
        .init(
            title: "Extraction of rare-earth elements from phosphogypsum", ipc: ["C22B 59/00", "C01F 17/17"],
            green: false, department: 4),
        .init(
            title: "Device for monitoring rock mass displacement in open-pit mines", ipc: ["E21C 39/00", "G01B 7/16"],
            green: false, department: 5),
        .init(
            title: "Composite drill bit with polycrystalline diamond inserts", ipc: ["E21B 10/567"], green: false,
            department: 0),
        .init(
            title: "Machine-learning prediction of oil well productivity from logging data",
            ipc: ["G06N 20/00", "E21B 47/00"], green: false, department: 3),
        .init(
            title: "Catalytic cracking of heavy oil residues over zeolite catalyst", ipc: ["C10G 11/05", "B01J 29/08"],
            green: false, department: 0),
        .init(
            title: "Seismic-resistant joint of a reinforced concrete building frame", ipc: ["E04B 1/98"], green: false,
            department: 5),
        .init(
            title: "Wear-resistant steel liner for ore grinding mills", ipc: ["B02C 17/22", "C22C 38/04"], green: false,
            department: 4),
        .init(
            title: "Live vaccine against brucellosis in cattle", ipc: ["A61K 39/10", "C12N 1/20"], green: false,
            department: 6),
        .init(
            title: "Antibacterial wound dressing with silver nanoparticles", ipc: ["A61L 15/18", "A61L 15/44"],
            green: false, department: 6),
        .init(
            title: "Freeze-dried mare's milk powder with preserved lysozyme activity", ipc: ["A23C 9/20", "A23C 1/04"],
            green: false, department: 6),
        .init(
            title: "Camel milk-based infant formula", ipc: ["A23C 11/00", "A23L 33/00"], green: false, department: 6),
        .init(
            title: "Sensor network for early detection of gas in coal mines", ipc: ["E21F 17/18", "G08B 21/16"],
            green: false, department: 3),
        .init(
            title: "Robotic inspection crawler for oil pipelines", ipc: ["F16L 55/26", "G01N 29/04"], green: false,
            department: 3),
        .init(
            title: "Hydrogen production by catalytic decomposition of methane", ipc: ["C01B 3/26", "B01J 23/755"],
            green: false, department: 2),
        .init(
            title: "Irrigation controller using soil moisture sensors", ipc: ["A01G 25/16", "G05B 19/042"],
            green: false, department: 3),
        .init(
            title: "Cast aluminium alloy with scandium for wheel rims", ipc: ["C22C 21/02"], green: false, department: 4
        ),
        .init(
            title: "Method of recovering gold from refractory arsenopyrite concentrates",
            ipc: ["C22B 11/00", "C22B 1/02"], green: false, department: 4),
        .init(
            title: "Polymer flooding composition for enhanced oil recovery", ipc: ["C09K 8/588", "E21B 43/22"],
            green: false, department: 0),
        .init(
            title: "Thermal insulation panel from sheep wool and basalt fibre", ipc: ["E04B 1/80", "D04H 1/4266"],
            green: false, department: 5),
        .init(
            title: "Drought-tolerant wheat seed coating with a microbial inoculant", ipc: ["A01C 1/06", "A01N 63/20"],
            green: false, department: 6),
    ]

    /// Variants that make titles of related inventions distinct.
    static let titleVariants = [
        "", " and device for carrying it out", " (improved composition)", " for small enterprises",
        " with remote monitoring", " and a plant for its production",
    ]

    /// Industrial designs.
    static let designs = [
        "Bottle for kumis", "Yurt-shaped modular kiosk", "Ornamented ceramic tea bowl (kese)",
        "Housing of a portable gas detector", "Solar street lamp", "Packaging for dried apricots",
        "Children's felt toy set", "Handle of a mining lamp", "Ergonomic dombra case",
    ]

    /// Trademarks (word marks and combined marks).
    static let trademarks = [
        "QAZSORB", "Dala Taste", "SteppeWind", "ALTYN DAN", "Kymyz Premium", "GeoSense",
        "TENGRI TECH", "Balqaimaq", "Nomad Chef", "AQ BIDAI", "Shanyrak Home", "SAPA FOODS",
        "Zhibek Zholy", "OrdaPharm", "KOKTEM", "Ulytau Stone", "Saryarqa Dairy", "Irbis Sport",
        "Qazaq Honey", "Aral Salt", "Taraz Textile", "Jeruiyq", "Sunkar Air", "Alatau Aqua",
    ]

    /// Inventors of the university: given name, surname.
    static let inventorNames = [
        "Aigerim Sadykova", "Nurlan Bekmukhamedov", "Yerlan Zhaksylykov", "Dana Omarova",
        "Timur Akhmetzhanov", "Saule Kenzhebayeva", "Marat Iskakov", "Gulnara Tulegenova",
        "Sergey Volkov", "Olga Petrenko", "Askar Nurpeisov", "Madina Rakhimova",
        "Dmitry Kozlov", "Zhanna Abenova", "Bauyrzhan Sarsenov", "Aliya Mukhanova",
        "Arman Dzhaksybekov", "Yelena Kim", "Ruslan Tokhtarov", "Kamila Zhumabayeva",
    ]

    /// Patent attorneys: the university's in-house attorney first, then the firm's.
    static let attorneyNames = [
        "Aizhan Utebayeva", "Yerzhan Baimukhanov", "Anna Sokolova", "Daniyar Kassymov", "Nikolai Lebedev",
    ]

    /// Organizations: name, kind of relation, sector, region (nil abroad), country.
    struct Organization {
        let name: String
        let roles: [Party.Role]
        let sector: Party.Sector
        let region: Region?
        let country: String
    }

    static let organizations: [Organization] = [
        .init(
            name: "Qazaq Water Systems LLP", roles: [.licensee], sector: .industry, region: .almatyCity, country: "KZ"),
        .init(
            name: "Sary-Arka Mining Equipment LLP", roles: [.licensee], sector: .industry, region: .karaganda,
            country: "KZ"),
        .init(
            name: "Caspian Drilling Technologies JSC", roles: [.licensee, .funder], sector: .industry, region: .atyrau,
            country: "KZ"),
        .init(name: "Zhetysu Solar Energy LLP", roles: [.licensee], sector: .industry, region: .jetisu, country: "KZ"),
        .init(name: "Ertis Polymer Plant JSC", roles: [.assignee], sector: .industry, region: .pavlodar, country: "KZ"),
        .init(
            name: "Turan AgroTech LLP", roles: [.assignee, .licensee], sector: .industry, region: .turkistan,
            country: "KZ"),
        .init(name: "Nomad BioPharm LLP", roles: [.licensee], sector: .industry, region: .astana, country: "KZ"),
        .init(
            name: "Lindqvist Process Engineering GmbH", roles: [.licensee], sector: .industry, region: nil,
            country: "DE"),
        .init(name: "Hartwell Instruments Inc.", roles: [.licensee], sector: .industry, region: nil, country: "US"),
        .init(
            name: "Shenzhen Qingtian New Energy Co., Ltd.", roles: [.licensee], sector: .industry, region: nil,
            country: "CN"),
        .init(
            name: "Astana Municipal Water Utility", roles: [.licensee], sector: .government, region: .astana,
            country: "KZ"),
        .init(
            name: "National Centre for Industrial Safety", roles: [.licensee, .funder], sector: .government,
            region: .karaganda, country: "KZ"),
        .init(
            name: "Karaganda Institute of Mining Research", roles: [.licensee], sector: .academia, region: .karaganda,
            country: "KZ"),
        .init(
            name: "Institute of Polymer Materials", roles: [.licensee], sector: .academia, region: .almatyCity,
            country: "KZ"),
        .init(
            name: "SorbTech LLP", roles: [.licensee, .assignee], sector: .industry, region: .almatyCity, country: "KZ"),
        .init(
            name: "GeoSense Analytics LLP", roles: [.licensee], sector: .industry, region: .almatyCity, country: "KZ"),
        .init(name: "HelioGrid LLP", roles: [.licensee], sector: .industry, region: .almatyCity, country: "KZ"),
        .init(name: "Steppe Ventures Fund I", roles: [.investor], sector: .other, region: .astana, country: "KZ"),
        .init(name: "Alatau Angels Club", roles: [.investor], sector: .other, region: .almatyCity, country: "KZ"),
        .init(
            name: "State Science Grant Programme Operator", roles: [.funder], sector: .government, region: .astana,
            country: "KZ"),
        .init(
            name: "Technology Commercialization Agency JSC", roles: [.funder], sector: .government, region: .astana,
            country: "KZ"),
    ]

    /// Foreign applicants whose PCT applications the firm enters in KZ and EA: origin office
    /// and a priority number in that office's style.
    static let foreignOrigins = ["DE", "US", "CN", "KR", "RU", "TR"]
}
