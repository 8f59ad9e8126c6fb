// Reads one Markdown file and writes a Swift file that compiles each of its ```swift blocks.
//
// A block is compiled in its own scope (an `async throws` method of the document's context type)
// unless the line just before its fence is a marker comment:
//
//     <!-- swift-block: run -->            run in order with the document's other `run` blocks,
//                                           as one test, on a fresh setup
//     <!-- swift-block: declarations -->   declarations (types, tests, functions), concatenated in
//                                           order with the document's other such blocks
//     <!-- swift-block: skip: <reason> --> not compiled (a manifest excerpt, a signature, pseudo-code)
//
// The document's context type (`README.md` → `Readme`, `Documentation/X.md` → `XGuide`,
// `Y.docc/X.md` → `XArticle`) is written by hand in the test target: it provides what a block
// takes as given (a `service`, an `order`, a `logger`…). `import` lines of every block become the
// generated file's imports; a document whose blocks import nothing gets Foundation, Logging,
// OCPizzaKit, OCPizzaKitTesting and Testing. `#sourceLocation` points every error and warning at the Markdown line.
import Foundation

enum Mode: Equatable {
    case compile, run, declarations
    case skip(String)
}

struct Block {
    /// The line of the block's first code line, 1-based.
    var line: Int
    var code: [String]
    var mode: Mode
}

struct ExtractionError: Error, CustomStringConvertible {
    var file: String
    var line: Int
    var message: String
    var description: String { "\(file):\(line): error: \(message)" }
}

func blocks(in text: String, file: String) throws -> [Block] {
    let lines = text.components(separatedBy: "\n")
    var result: [Block] = []
    var index = 0
    while index < lines.count {
        let line = lines[index]
        let indent = line.prefix(while: { $0 == " " }).count
        let trimmed = line.dropFirst(indent)
        guard trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") else {
            index += 1
            continue
        }
        let fenceCharacter = trimmed.first!
        let fence = String(trimmed.prefix(while: { $0 == fenceCharacter }))
        let info = trimmed.dropFirst(fence.count).trimmingCharacters(in: .whitespaces)
        var end = index + 1
        while end < lines.count {
            let candidate = lines[end].trimmingCharacters(in: .whitespaces)
            if candidate.hasPrefix(fence), candidate.allSatisfy({ $0 == fenceCharacter }) { break }
            end += 1
        }
        defer { index = end + 1 }
        guard info.split(separator: " ").first == "swift" else { continue }
        guard info == "swift" else {
            throw ExtractionError(
                file: file,
                line: index + 1,
                message: "write ```swift alone and mark the block with a <!-- swift-block: … --> comment on the line before"
            )
        }
        let code = lines[(index + 1)..<min(end, lines.count)].map { String($0.dropFirst(min(indent, $0.prefix(while: { $0 == " " }).count))) }
        let previous =
            lines[..<index].last(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty })?
            .trimmingCharacters(in: .whitespaces) ?? ""
        result.append(Block(line: index + 2, code: code, mode: try mode(marker: previous, file: file, line: index)))
    }
    return result
}

func mode(marker: String, file: String, line: Int) throws -> Mode {
    let prefix = "<!-- swift-block:"
    guard marker.hasPrefix(prefix), marker.hasSuffix("-->") else { return .compile }
    let value = marker.dropFirst(prefix.count).dropLast(3).trimmingCharacters(in: .whitespaces)
    switch value {
    case "run": return .run
    case "declarations": return .declarations
    case _ where value.hasPrefix("skip:") && !value.dropFirst(5).trimmingCharacters(in: .whitespaces).isEmpty:
        return .skip(value.dropFirst(5).trimmingCharacters(in: .whitespaces))
    default:
        throw ExtractionError(
            file: file,
            line: line,
            message: "unknown marker '\(value)': expected run, declarations or skip: <reason>"
        )
    }
}

/// The names a block binds at its top level (`let x`, `var y`), read after it so that a name the
/// reader is shown but the block does not use is no "never used" warning.
func topLevelBindings(_ code: [String]) -> [(name: String, isTask: Bool)] {
    code.compactMap { line in
        guard line.hasPrefix("let ") || line.hasPrefix("var ") else { return nil }
        let rest = line.dropFirst(4)
        let name = rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
        guard !name.isEmpty else { return nil }
        let value = rest.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        return (String(name), value.hasPrefix("= Task {"))
    }
}

func isImport(_ line: String) -> Bool {
    line.hasPrefix("import ") || line.hasPrefix("@testable import ") || line.hasPrefix("public import ")
        || line.hasPrefix("internal import ")
}

/// The code of a block with its import lines blanked, so that its line numbers stay the Markdown's.
func body(_ block: Block, path: String) -> String {
    let code = block.code.map { isImport($0) ? "" : $0 }.joined(separator: "\n")
    return "#sourceLocation(file: \"\(path)\", line: \(block.line))\n\(code)\n#sourceLocation()"
}

func generate(markdown path: String, relativePath: String, typeName: String) throws -> String {
    let all = try blocks(in: String(contentsOfFile: path, encoding: .utf8), file: path)
    let compiled = all.filter {
        if case .skip = $0.mode { return false }
        return true
    }
    var output = "// Generated by SwiftBlockExtractor from \(relativePath): do not edit, edit the Markdown.\n"
    guard !all.isEmpty else { return output }
    var imports = Set(compiled.flatMap { $0.code.filter(isImport) })
    // Fragments that show no imports are read as if the reader's file imported what such code needs.
    if imports.isEmpty { imports = ["import Foundation", "import Logging", "import OCPizzaKit", "import OCPizzaKitTesting", "import Testing"] }
    let runs = compiled.filter { $0.mode == .run }
    if !runs.isEmpty { imports.insert("import Testing") }
    output += imports.sorted().joined(separator: "\n") + "\n\n"
    for block in all {
        if case .skip(let reason) = block.mode { output += "// Not compiled: \(relativePath):\(block.line): \(reason)\n" }
    }
    guard !compiled.isEmpty else { return output }

    output += "\nextension \(typeName) {\n"
    for block in compiled where block.mode == .compile {
        output += "    func block\(block.line)() async throws {\n\(body(block, path: path))\n"
        for binding in topLevelBindings(block.code) { output += "        _ = \(binding.name)\n" }
        output += "    }\n\n"
    }
    if !runs.isEmpty {
        // One scope for the whole group, so that a block uses what an earlier one declared; a
        // thrown error names the block it came from.
        output += "    @Test(\"\(relativePath): its swift blocks run in order on a fresh setup\")\n"
        output += "    func runInOrder() async throws {\n        var block = \"\(relativePath)\"\n        do {\n"
        output += "            try DocumentationFixture.prepare()\n"
        for block in runs {
            output += "            block = \"\(relativePath):\(block.line)\"\n" + body(block, path: path) + "\n"
        }
        for binding in runs.flatMap({ topLevelBindings($0.code) }) {
            output += binding.isTask ? "            \(binding.name).cancel()\n" : "            _ = \(binding.name)\n"
        }
        output += "        } catch {\n            throw DocumentationFixture.BlockFailure(block: block, error: error)\n        }\n"
        output += "    }\n\n"
    }
    for block in compiled where block.mode == .declarations { output += body(block, path: path) + "\n" }
    output += "}\n"
    return output
}

let arguments = CommandLine.arguments
guard arguments.count == 5 else {
    FileHandle.standardError.write(Data("usage: SwiftBlockExtractor MARKDOWN RELATIVE-PATH TYPE-NAME OUTPUT\n".utf8))
    exit(64)
}
do {
    let swift = try generate(markdown: arguments[1], relativePath: arguments[2], typeName: arguments[3])
    try Data(swift.utf8).write(to: URL(filePath: arguments[4]), options: .atomic)
} catch {
    FileHandle.standardError.write(Data("\(error)\n".utf8))
    exit(1)
}
