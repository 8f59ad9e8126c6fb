/// A step of the SMTP exchange, as reasons and logs name it.
enum SMTPStep: String, Sendable {
    case connect = "connecting"
    case greeting = "the greeting"
    case ehlo = "EHLO"
    case helo = "HELO"
    case startTLS = "STARTTLS"
    case auth = "AUTH"
    case mailFrom = "MAIL FROM"
    case rcptTo = "RCPT TO"
    case data = "DATA"
    case endOfData = "the end of the message data"
    case quit = "QUIT"
}
