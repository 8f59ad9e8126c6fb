import Foundation
import Testing

/// `ocpizza-server` itself refuses a revocation file it cannot read and bad timeouts, before it
/// listens, with one line naming the variable and exit code 78, like every configuration error.
@Suite(
    "ocpizza-server process: revocation file and timeouts",
    .enabled(if: ServerProcess.executable != nil, "ocpizza-server is not built next to the tests")
)
struct StreamSettingsProcessTests {
    @Test("a missing or malformed revocation file, or a timeout out of range, is a one-line error and exit code 78")
    func refusedSettings() async throws {
        let missing = try ServerProcess(environment: ["OCPIZZA_REVOCATION_FILE": "/nonexistent/revoked-tokens"])
        #expect(try await missing.exitStatus(within: .seconds(20)) == 78)
        #expect(
            missing.standardError()
                == "ocpizza-server: configuration error: OCPIZZA_REVOCATION_FILE: /nonexistent/revoked-tokens: cannot be opened\n"
        )

        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ocpizza-revoked-\(UUID().uuidString)").path
        try Data("token abc\nrevoke lea\n".utf8).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let malformed = try ServerProcess(environment: ["OCPIZZA_REVOCATION_FILE": file])
        #expect(try await malformed.exitStatus(within: .seconds(20)) == 78)
        #expect(malformed.standardError().contains("OCPIZZA_REVOCATION_FILE: \(file): line 2: expected `token JTI`"))

        let timeout = try ServerProcess(environment: ["OCPIZZA_HEADER_TIMEOUT": "0"])
        #expect(try await timeout.exitStatus(within: .seconds(20)) == 78)
        #expect(timeout.standardError().contains("OCPIZZA_HEADER_TIMEOUT: '0' is not a whole number in 1...3600"))
    }
}
