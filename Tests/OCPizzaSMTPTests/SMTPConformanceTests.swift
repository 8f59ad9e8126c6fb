import OCPizzaKitTesting
import Testing

extension SMTPNotifierTests {
    /// ``SMTPNotifier`` on aiosmtpd (STARTTLS and AUTH) runs every check of the notifier
    /// conformance suite; serially, like every test of ``SMTPNotifierTests``, since each check
    /// scripts the server's next answer.
    @Suite("SMTPNotifier passes the notifier conformance suite on aiosmtpd")
    struct Conformance {
        @Test(arguments: NotifierConformance.checks)
        func conformance(_ check: NotifierConformance.Check) async throws {
            try await check.run(against: SMTPTestServer.fixture())
        }
    }
}
