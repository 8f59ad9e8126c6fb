import Foundation
import NIOSSL
import OCPizzaSMTP
import Testing

/// ``SMTPNotifier/Configuration`` from URLs, as operators write them; no server needed.
@Suite("SMTPNotifier.Configuration from a URL")
struct SMTPConfigurationTests {
    @Test("smtp:// is STARTTLS on 587 by default, with percent-decoded credentials")
    func startTLSURL() throws {
        let configuration = try SMTPNotifier.Configuration(
            url: "smtp://commandes%40ocpizza.fr:p%40ss%3Aw%C3%B6rd%2F42%25@smtp.example.com",
            sender: "commandes@ocpizza.fr"
        )
        #expect(configuration.host == "smtp.example.com")
        #expect(configuration.port == 587)
        #expect(configuration.security == .startTLS)
        #expect(configuration.credentials == .init(user: "commandes@ocpizza.fr", password: "p@ss:wörd/42%"))
        #expect(configuration.connectTimeout == .seconds(10))
        #expect(configuration.commandTimeout == .seconds(30))
        #expect(!String(describing: configuration.credentials!).contains("p@ss"))
        #expect(String(describing: configuration) == "smtp://commandes@ocpizza.fr@smtp.example.com:587 (startTLS) from commandes@ocpizza.fr")
    }

    @Test("smtps:// is implicit TLS on 465 by default; an explicit port wins")
    func implicitTLSURL() throws {
        let implicit = try SMTPNotifier.Configuration(url: "smtps://user:secret@smtp.example.com", sender: "commandes@ocpizza.fr")
        #expect(implicit.security == .implicitTLS && implicit.port == 465)
        let explicit = try SMTPNotifier.Configuration(url: URL(string: "SMTPS://smtp.example.com:2465")!, sender: "commandes@ocpizza.fr")
        #expect(explicit.security == .implicitTLS && explicit.port == 2465 && explicit.credentials == nil)
    }

    @Test("tls=none is for the loopback interface only, without credentials")
    func plaintext() throws {
        for url in ["smtp://localhost:1025?tls=none", "smtp://127.0.0.1:1025?tls=none", "smtp://[::1]:1025?tls=none"] {
            let configuration = try SMTPNotifier.Configuration(url: url, sender: "commandes@ocpizza.fr")
            #expect(configuration.security == .none, "\(url)")
        }
    }

    @Test(
        "Every URL and setting that cannot be used throws its typed error",
        arguments: [
            ("not a url at all", SMTPConfigurationError.invalidURL),
            ("http://smtp.example.com", .unsupportedScheme("http")),
            ("smtp:///", .missingHost),
            ("smtp://smtp.example.com:0", .invalidPort),
            ("smtp://smtp.example.com:70000", .invalidPort),
            ("smtp://smtp.example.com?tls=starttls", .unsupportedParameter("tls=starttls")),
            ("smtp://smtp.example.com?pool=4", .unsupportedParameter("pool=4")),
            ("smtp://smtp.example.com/relay", .unsupportedParameter("path")),
            ("smtps://localhost?tls=none", .unsupportedParameter("tls=none")),
            ("smtp://smtp.example.com?tls=none", .plaintextOffLoopback(host: "smtp.example.com")),
            ("smtp://192.168.1.10?tls=none", .plaintextOffLoopback(host: "192.168.1.10")),
            ("smtp://user:secret@localhost?tls=none", .credentialsWithoutTLS),
            ("smtp://:secret@smtp.example.com", .passwordWithoutUser),
        ]
    )
    func invalidURL(url: String, error: SMTPConfigurationError) {
        #expect(throws: error) { try SMTPNotifier.Configuration(url: url, sender: "commandes@ocpizza.fr") }
    }

    @Test("The sender, the EHLO name, the timeouts and the TLS configuration are checked too")
    func invalidSettings() {
        let url = "smtp://smtp.example.com"
        #expect(throws: SMTPConfigurationError.invalidSender) {
            try SMTPNotifier.Configuration(url: url, sender: "commandes@ocpizza.fr\r\nBcc: x@y.fr")
        }
        #expect(throws: SMTPConfigurationError.invalidSender) { try SMTPNotifier.Configuration(url: url, sender: "pizzéria@ocpizza.fr") }
        #expect(throws: SMTPConfigurationError.invalidEHLOName) {
            try SMTPNotifier.Configuration(url: url, sender: "commandes@ocpizza.fr", ehloName: "caisse\r\nMAIL FROM")
        }
        #expect(throws: SMTPConfigurationError.invalidTimeout) {
            try SMTPNotifier.Configuration(url: url, sender: "commandes@ocpizza.fr", commandTimeout: .zero)
        }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file("/nonexistent/ocpizza-ca.pem")
        let error = #expect(throws: SMTPConfigurationError.self) {
            try SMTPNotifier.Configuration(url: url, sender: "commandes@ocpizza.fr", tlsConfiguration: tls)
        }
        guard case .invalidTLSConfiguration = error else {
            Issue.record("a trust root file that does not exist: \(String(describing: error))")
            return
        }
    }

    @Test("A configuration error never quotes the password")
    func errorsHoldNoPassword() {
        do {
            _ = try SMTPNotifier.Configuration(url: "smtp://user:hunter2@localhost?tls=none", sender: "commandes@ocpizza.fr")
            Issue.record("credentials in clear were accepted")
        } catch {
            #expect(!error.description.contains("hunter2"))
        }
    }
}
