import Foundation
import PackagePlugin

/// Compiles the ```swift blocks of the package's Markdown into the target it is applied to: the
/// README, `Documentation/*.md` and every DocC catalog's articles under `Sources/`. One generated
/// file per Markdown file; see `SwiftBlockExtractor` for the markers and the context types.
@main
struct ExtractSwiftBlocks: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        let tool = try context.tool(named: "SwiftBlockExtractor").url
        return try markdownFiles(in: root).map { file in
            let relative = String(file.path.dropFirst(root.path.count + 1))
            let type = contextTypeName(of: relative)
            let output = context.pluginWorkDirectoryURL.appending(path: "\(type).swift")
            return .buildCommand(
                displayName: "Extracting the swift blocks of \(relative)",
                executable: tool,
                arguments: [file.path, relative, type, output.path],
                inputFiles: [file],
                outputFiles: [output]
            )
        }
    }

    func markdownFiles(in root: URL) throws -> [URL] {
        let manager = FileManager.default
        var files = [root.appending(path: "README.md")]
        let documentation = root.appending(path: "Documentation")
        files += try manager.contentsOfDirectory(at: documentation, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
        let sources = root.appending(path: "Sources")
        for target in try manager.contentsOfDirectory(at: sources, includingPropertiesForKeys: nil) {
            let catalogs = (try? manager.contentsOfDirectory(at: target, includingPropertiesForKeys: nil)) ?? []
            for catalog in catalogs where catalog.pathExtension == "docc" {
                files += try manager.contentsOfDirectory(at: catalog, includingPropertiesForKeys: nil)
                    .filter { $0.pathExtension == "md" }
            }
        }
        return files.sorted { $0.path < $1.path }
    }

    /// `README.md` → `Readme`, `Documentation/Embedding.md` → `EmbeddingGuide`,
    /// `Sources/OCPizzaKit/OCPizzaKit.docc/GettingStarted.md` → `GettingStartedArticle`.
    func contextTypeName(of relativePath: String) -> String {
        let name = URL(filePath: relativePath).deletingPathExtension().lastPathComponent
        if relativePath == "README.md" { return "Readme" }
        let suffix = relativePath.hasPrefix("Documentation/") ? "Guide" : "Article"
        return name.prefix(1).uppercased() + name.dropFirst() + suffix
    }
}
