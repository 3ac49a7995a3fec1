import Foundation
import PackagePlugin

/// Embeds data files into a target at build time, so installed binaries need no source tree.
///
/// - `IPCaseStore` embeds the package's `Schema/*.sql` migrations.
/// - Any other target embeds every file under its own `Data/` folder (`IPCase`: rules, calendars,
///   fees, the green inventory; `IPCaseReports`: the message catalogs).
///
/// The generated file declares `enum EmbeddedFiles { static let all: [(path: String, contents: String)] }`,
/// sorted by path; paths are relative to the embedded folder.
@main
struct EmbedFilesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) async throws -> [Command] {
        guard let target = target as? SourceModuleTarget else { return [] }
        let root: URL =
            target.name == "IPCaseStore"
            ? context.package.directoryURL.appending(path: "Schema")
            : target.directoryURL.appending(path: "Data")
        let inputs = Self.files(under: root)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedFiles.swift")
        return [
            .buildCommand(
                displayName: "Embedding \(inputs.count) data files into \(target.name)",
                executable: try context.tool(named: "EmbedFiles").url,
                arguments: [output.path(), root.path()] + inputs.map { $0.path() },
                inputFiles: inputs,
                outputFiles: [output]
            )
        ]
    }

    private static func files(under root: URL) -> [URL] {
        guard
            let walker = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { return [] }
        var found: [URL] = []
        for case let url as URL in walker
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            found.append(url)
        }
        return found.sorted { $0.path() < $1.path() }
    }
}
