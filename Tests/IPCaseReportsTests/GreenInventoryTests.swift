import Foundation
import IPCase
import Testing

@Suite("Green Inventory")
struct GreenInventoryTests {
    @Test func shippedListLoadsWithItsSourceAndCoverageLabel() throws {
        let inventory = GreenInventory.standard
        #expect(inventory.source == "https://www.wipo.int/classifications/ipc/green-inventory/")
        #expect(inventory.coverage == .subset)
        #expect(inventory.note.contains("subset"))
        // Every one of the seven top-level categories has topics.
        #expect(Set(inventory.topics.map(\.category)) == Set(GreenCategory.allCases))
        #expect(inventory.topics.count > 60)
        let ids = inventory.topics.map(\.id)
        #expect(Set(ids).count == ids.count, "topic ids are unique")
    }

    @Test(
        "Known symbols fall in their category",
        arguments: [
            ("F03D", GreenCategory.alternativeEnergyProduction, "wind-energy"),
            ("F03D 1/06", .alternativeEnergyProduction, "wind-energy"),
            ("H01L 31/04", .alternativeEnergyProduction, "photovoltaics"),
            ("H01L 31/042", .alternativeEnergyProduction, "pv-assemblies"),
            ("H01L 31/0525", .alternativeEnergyProduction, "photovoltaics"),
            ("H01L 31/078", .alternativeEnergyProduction, "photovoltaics"),
            ("H01M 8/04", .alternativeEnergyProduction, "fuel-cells"),
            ("C10L 5/44", .alternativeEnergyProduction, "solid-fuels"),
            ("F24S 10/40", .alternativeEnergyProduction, "solar-heat"),
            ("H02J 7/35", .alternativeEnergyProduction, "pv-charging"),
            ("B60L 53/14", .transportation, "electric-vehicles"),
            ("B61D 17/00", .transportation, "rail-vehicles"),
            ("H01M 10/44", .energyConservation, "storage-of-electrical-energy"),
            ("H01L 33/50", .energyConservation, "low-energy-lighting"),
            ("B01D 53/62", .wasteManagement, "carbon-capture-and-storage"),
            ("C02F 3/28", .wasteManagement, "control-of-water-pollution"),
            ("A01G 25/02", .agricultureForestry, "alternative-irrigation"),
            ("A01N 43/40", .agricultureForestry, "pesticide-alternatives"),
            ("G06Q 50/06", .administrativeRegulatoryDesign, "commuting"),
            ("G21C 1/00", .nuclearPowerGeneration, "fission-reactors"),
        ])
    func knownSymbolsAreTagged(symbol: String, category: GreenCategory, topic: String) throws {
        let parsed = try #require(IPCSymbol(symbol))
        #expect(GreenInventory.standard.category(for: parsed) == category)
        #expect(GreenInventory.standard.topics(for: parsed).first?.id == topic)
    }

    @Test(
        "Symbols outside the inventory are not green",
        arguments: [
            "A61K 31/713",  // a medicine
            "H01L 31/08",  // just past the PV range 31/00-31/078
            "H01L 31/079",
            "H01M",  // subclass only: fuel-cell entries are groups
            "C07D 401/04",
            "F03C 1/00",  // next to F03B and F03D, in neither
        ])
    func otherSymbolsAreNotTagged(symbol: String) throws {
        let parsed = try #require(IPCSymbol(symbol))
        #expect(GreenInventory.standard.category(for: parsed) == nil)
        #expect(GreenInventory.standard.topics(for: parsed).isEmpty)
    }

    @Test func placesUnderTwoCategoriesCountInBoth() throws {
        // B09B is listed under landfill gas (energy) and under waste disposal.
        let landfill = try #require(IPCSymbol("B09B 1/00"))
        #expect(
            GreenInventory.standard.categories(for: [landfill]) == [.alternativeEnergyProduction, .wasteManagement])
        #expect(GreenInventory.standard.categories(for: [try #require(IPCSymbol("A61K 9/00"))]).isEmpty)
    }

    @Test(
        "Places and ranges follow IPC order",
        arguments: [
            ("H01L 31/00-31/078", "H01L 31/00", true),
            ("H01L 31/00-31/078", "H01L 31/0785", true),  // numbered as an extension of the upper bound
            ("H01L 31/00-31/078", "H01L 31/08", false),
            ("H01L 31/00-31/078", "H01L 3/00", false),
            ("B01D 45/00-51/00", "B01D 51/10", true),  // /00 upper bound: the whole main group
            ("B01D 45/00-51/00", "B01D 52/00", false),
            ("C10L 5/00", "C10L 5/48", true),
            ("C10L 5/00", "C10L 50/00", false),
            ("H01L 31/042", "H01L 31/0422", true),
            ("H01L 31/042", "H01L 31/043", false),
            ("F03D", "F03D 13/20", true),
            ("F03D", "F03B 13/20", false),
            ("G21", "G21K 1/00", true),
        ])
    func placesContainTheRightSymbols(place: String, symbol: String, contained: Bool) throws {
        #expect(try IPCPlace(place).contains(try #require(IPCSymbol(symbol))) == contained)
    }

    @Test(arguments: ["Z99", "F03D 5", "H01L 31/078-31/00", "F3D", "F03D 1/00-", ""])
    func malformedPlacesAreRefused(text: String) {
        #expect(throws: IPCPlace.Invalid.self) { try IPCPlace(text) }
    }

    @Test func anInventoryFileWithABadSymbolIsRefusedNamingIt() {
        let json = """
            {"source": "x", "date": "2026-01-01", "coverage": "full", "note": "",
             "categories": [{"id": "transportation", "title": "T", "topics": [{"id": "a", "title": "A", "ipc": ["B6OL"]}]}]}
            """
        let error = #expect(throws: IPCPlace.Invalid.self) { try GreenInventory(json: Data(json.utf8)) }
        #expect(error?.text == "B6OL")
    }
}
