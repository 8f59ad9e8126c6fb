extension NotificationTemplates {
    /// The French default of one template, as Mustache source: what a file of
    /// ``init(directory:)`` replaces, and a starting point for writing one.
    ///
    /// - Parameters:
    ///   - kind: the notification kind.
    ///   - part: the part.
    public static func defaultSource(of kind: NotificationKind, _ part: Part) -> String {
        let french = French.templates(of: kind)
        switch part {
        case .subject: return french.subject
        case .text: return french.text
        case .html: return French.page(title: french.title, body: french.html, closing: french.closing)
        case .sms: return french.sms
        }
    }
}

/// The French defaults: what a pizzeria of the group writes to its customers.
private enum French {
    /// One kind's templates; `html` is the body of the page titled `title`.
    struct Templates {
        var subject: String
        var text: String
        var title: String
        var html: String
        var sms: String
        /// The HTML page's last words before the signature.
        var closing = "À tout de suite,"
    }

    static let hello = "Bonjour{{#customerFirstName}} {{customerFirstName}}{{/customerFirstName}},"

    static let paragraph = "<p style=\"margin:0 0 16px;\">"

    static func templates(of kind: NotificationKind) -> Templates {
        switch kind {
        case .orderConfirmed:
            return Templates(
                subject: "Votre commande n° {{number}} chez {{pizzeriaName}} est confirmée",
                text: """
                    \(hello)

                    Votre commande n° {{number}} chez {{pizzeriaName}} est confirmée. Merci de votre confiance !

                    Montant de la commande : {{total}}

                    {{#isDelivery}}
                    Nous vous préviendrons dès que notre livreur partira avec elle.
                    {{/isDelivery}}
                    {{#isTakeAway}}
                    Nous vous préviendrons dès qu’elle vous attendra au comptoir.
                    {{/isTakeAway}}
                    {{#isOnSite}}
                    Elle vous sera servie à table dès qu’elle sera prête.
                    {{/isOnSite}}

                    À tout de suite,
                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}, confirmée à {{time}}
                    """,
                title: "Commande confirmée",
                html: """
                    \(paragraph)Votre commande n° {{number}} chez {{pizzeriaName}} est confirmée. Merci de votre confiance !</p>
                    \(paragraph)Montant de la commande : <strong>{{total}}</strong></p>
                    {{#isDelivery}}
                    \(paragraph)Nous vous préviendrons dès que notre livreur partira avec elle.</p>
                    {{/isDelivery}}
                    {{#isTakeAway}}
                    \(paragraph)Nous vous préviendrons dès qu’elle vous attendra au comptoir.</p>
                    {{/isTakeAway}}
                    {{#isOnSite}}
                    \(paragraph)Elle vous sera servie à table dès qu’elle sera prête.</p>
                    {{/isOnSite}}
                    """,
                sms: """
                    \(hello) votre commande {{number}} chez {{pizzeriaName}} est confirmée ({{total}}).\
                    {{#isDelivery}} Nous vous prévenons dès son départ.{{/isDelivery}}\
                    {{#isTakeAway}} Nous vous prévenons dès qu’elle est prête.{{/isTakeAway}}
                    """
            )
        case .preparationStarted:
            return Templates(
                subject: "Votre commande n° {{number}} est en préparation",
                text: """
                    \(hello)

                    Bonne nouvelle : votre commande n° {{number}} est en préparation chez {{pizzeriaName}} depuis {{time}}.
                    Elle ne peut plus être modifiée ni annulée.

                    {{#isDelivery}}
                    Nous vous préviendrons dès que notre livreur partira avec elle.
                    {{/isDelivery}}
                    {{#isTakeAway}}
                    Nous vous préviendrons dès qu’elle vous attendra au comptoir.
                    {{/isTakeAway}}
                    {{#isOnSite}}
                    Elle vous sera servie à table dans quelques minutes.
                    {{/isOnSite}}

                    À tout de suite,
                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}
                    """,
                title: "Commande en préparation",
                html: """
                    \(paragraph)Bonne nouvelle : votre commande n° {{number}} est en préparation chez {{pizzeriaName}} depuis {{time}}. \
                    Elle ne peut plus être modifiée ni annulée.</p>
                    {{#isDelivery}}
                    \(paragraph)Nous vous préviendrons dès que notre livreur partira avec elle.</p>
                    {{/isDelivery}}
                    {{#isTakeAway}}
                    \(paragraph)Nous vous préviendrons dès qu’elle vous attendra au comptoir.</p>
                    {{/isTakeAway}}
                    {{#isOnSite}}
                    \(paragraph)Elle vous sera servie à table dans quelques minutes.</p>
                    {{/isOnSite}}
                    """,
                sms: """
                    \(hello) votre commande {{number}} est en préparation chez {{pizzeriaName}}. \
                    Elle ne peut plus être modifiée ni annulée.
                    """
            )
        case .outForDelivery:
            return Templates(
                subject: """
                    {{#driverFirstName}}{{driverFirstName}} est en route avec votre commande n° {{number}}{{/driverFirstName}}\
                    {{^driverFirstName}}Votre commande n° {{number}} est en route{{/driverFirstName}}
                    """,
                text: """
                    \(hello)

                    {{#driverFirstName}}{{driverFirstName}}{{/driverFirstName}}{{^driverFirstName}}Notre livreur{{/driverFirstName}} \
                    est en route avec votre commande n° {{number}} de chez {{pizzeriaName}}, partie à {{time}}.

                    Montant de la commande : {{total}}
                    Si vous réglez à la livraison, merci de préparer votre moyen de paiement.

                    Bonne dégustation !
                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}
                    """,
                title: "Commande en route",
                html: """
                    \(paragraph)<strong>{{#driverFirstName}}{{driverFirstName}}{{/driverFirstName}}\
                    {{^driverFirstName}}Notre livreur{{/driverFirstName}} est en route</strong> \
                    avec votre commande n° {{number}} de chez {{pizzeriaName}}, partie à {{time}}.</p>
                    \(paragraph)Montant de la commande : <strong>{{total}}</strong>. \
                    Si vous réglez à la livraison, merci de préparer votre moyen de paiement.</p>
                    \(paragraph)Bonne dégustation !</p>
                    """,
                sms: """
                    \(hello) {{#driverFirstName}}{{driverFirstName}}{{/driverFirstName}}{{^driverFirstName}}notre livreur{{/driverFirstName}} \
                    est en route avec votre commande {{number}} de chez {{pizzeriaName}} ({{total}}). Bon appétit !
                    """
            )
        case .readyForCollection:
            return Templates(
                subject: """
                    {{#isOnSite}}Votre commande n° {{number}} est prête{{/isOnSite}}\
                    {{^isOnSite}}Votre commande n° {{number}} vous attend au comptoir{{/isOnSite}}
                    """,
                text: """
                    \(hello)

                    {{#isOnSite}}
                    Votre commande n° {{number}} chez {{pizzeriaName}} est prête : elle arrive à votre table.
                    {{/isOnSite}}
                    {{^isOnSite}}
                    Votre commande n° {{number}} chez {{pizzeriaName}} est prête : elle vous attend au comptoir depuis {{time}}.

                    Montant de la commande : {{total}}, à régler au comptoir si vous ne l’avez pas réglée en ligne.
                    Donnez simplement votre numéro de commande, {{number}}, en arrivant.
                    {{/isOnSite}}

                    À tout de suite,
                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}
                    """,
                title: "Commande prête",
                html: """
                    {{#isOnSite}}
                    \(paragraph)Votre commande n° {{number}} chez {{pizzeriaName}} est prête : elle arrive à votre table.</p>
                    {{/isOnSite}}
                    {{^isOnSite}}
                    \(paragraph)Votre commande n° {{number}} chez {{pizzeriaName}} est prête : \
                    <strong>elle vous attend au comptoir</strong> depuis {{time}}.</p>
                    \(paragraph)Montant de la commande : <strong>{{total}}</strong>, \
                    à régler au comptoir si vous ne l’avez pas réglée en ligne.</p>
                    \(paragraph)Donnez simplement votre numéro de commande, <strong>{{number}}</strong>, en arrivant.</p>
                    {{/isOnSite}}
                    """,
                sms: """
                    \(hello) votre commande {{number}} chez {{pizzeriaName}} \
                    {{#isOnSite}}est prête, elle arrive à votre table.{{/isOnSite}}\
                    {{^isOnSite}}vous attend au comptoir ({{total}}). À tout de suite !{{/isOnSite}}
                    """
            )
        case .orderCancelled:
            return Templates(
                subject: "Votre commande n° {{number}} chez {{pizzeriaName}} est annulée",
                text: """
                    \(hello)

                    Votre commande n° {{number}} chez {{pizzeriaName}} a été annulée à {{time}}.

                    Rien ne vous sera prélevé. Si vous l’aviez réglée en ligne, le montant réservé sur votre carte ({{total}}) \
                    sera libéré sous quelques jours, selon votre banque.

                    Pour toute question, n’hésitez pas à nous contacter. Nous espérons vous revoir bientôt.
                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}
                    """,
                title: "Commande annulée",
                html: """
                    \(paragraph)Votre commande n° {{number}} chez {{pizzeriaName}} a été annulée à {{time}}.</p>
                    \(paragraph)Rien ne vous sera prélevé. Si vous l’aviez réglée en ligne, le montant réservé sur votre carte \
                    ({{total}}) sera libéré sous quelques jours, selon votre banque.</p>
                    \(paragraph)Pour toute question, n’hésitez pas à nous contacter. Nous espérons vous revoir bientôt.</p>
                    """,
                sms: """
                    \(hello) votre commande {{number}} chez {{pizzeriaName}} a été annulée. \
                    Rien ne vous sera prélevé. À bientôt !
                    """,
                closing: "À bientôt,"
            )
        case .orderRefunded:
            return Templates(
                subject: "Remboursement de votre commande n° {{number}} chez {{pizzeriaName}}",
                text: """
                    \(hello)

                    {{#refunded}}
                    Nous vous avons remboursé {{refunded}} sur votre commande n° {{number}} chez {{pizzeriaName}} \
                    (montant de la commande : {{total}}).
                    {{/refunded}}
                    {{^refunded}}
                    Nous vous avons remboursé votre commande n° {{number}} chez {{pizzeriaName}}.
                    {{/refunded}}

                    Le remboursement apparaîtra sur votre compte sous quelques jours, selon votre banque.

                    Avec nos excuses pour la gêne occasionnée,
                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}
                    """,
                title: "Remboursement",
                html: """
                    {{#refunded}}
                    \(paragraph)Nous vous avons remboursé <strong>{{refunded}}</strong> sur votre commande n° {{number}} \
                    chez {{pizzeriaName}} (montant de la commande : {{total}}).</p>
                    {{/refunded}}
                    {{^refunded}}
                    \(paragraph)Nous vous avons remboursé votre commande n° {{number}} chez {{pizzeriaName}}.</p>
                    {{/refunded}}
                    \(paragraph)Le remboursement apparaîtra sur votre compte sous quelques jours, selon votre banque.</p>
                    \(paragraph)Avec nos excuses pour la gêne occasionnée.</p>
                    """,
                sms: """
                    \(hello) {{pizzeriaName}} vous a remboursé{{#refunded}} {{refunded}}{{/refunded}} \
                    sur votre commande {{number}}. Comptez quelques jours selon votre banque.
                    """,
                closing: "À bientôt,"
            )
        case .paymentFailed:
            return Templates(
                subject: "Le paiement de votre commande n° {{number}} n’a pas abouti",
                text: """
                    \(hello)

                    Le paiement en ligne de votre commande n° {{number}} chez {{pizzeriaName}} ({{total}}) n’a pas abouti : \
                    il a été refusé ou interrompu. Rien ne vous a été prélevé.

                    Votre commande vous attend encore quelques minutes. Vous pouvez :
                    - réessayer le paiement depuis l’application ou le site où vous l’avez passée, avec la même carte ou une autre ;
                    - vérifier auprès de votre banque que les paiements en ligne sont autorisés sur votre carte.

                    Sans paiement, elle sera annulée automatiquement.

                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}
                    """,
                title: "Paiement non abouti",
                html: """
                    \(paragraph)Le paiement en ligne de votre commande n° {{number}} chez {{pizzeriaName}} ({{total}}) \
                    <strong>n’a pas abouti</strong> : il a été refusé ou interrompu. Rien ne vous a été prélevé.</p>
                    \(paragraph)Votre commande vous attend encore quelques minutes. Vous pouvez :</p>
                    <ul style="margin:0 0 16px;padding-left:24px;">
                    <li>réessayer le paiement depuis l’application ou le site où vous l’avez passée, avec la même carte ou une autre ;</li>
                    <li>vérifier auprès de votre banque que les paiements en ligne sont autorisés sur votre carte.</li>
                    </ul>
                    \(paragraph)Sans paiement, elle sera annulée automatiquement.</p>
                    """,
                sms: """
                    \(hello) le paiement de votre commande {{number}} chez {{pizzeriaName}} n’a pas abouti. \
                    Réessayez vite, sinon elle sera annulée.
                    """,
                closing: "À bientôt,"
            )
        case .paymentExpired:
            return Templates(
                subject: "Votre commande n° {{number}} est annulée, faute de paiement",
                text: """
                    \(hello)

                    Faute de paiement reçu à temps, votre commande n° {{number}} chez {{pizzeriaName}} a été annulée à {{time}}.
                    Rien ne vous a été prélevé.

                    Vous pouvez passer une nouvelle commande quand vous le souhaitez : nous serons ravis de vous régaler.

                    L’équipe {{pizzeriaName}}

                    Référence : commande n° {{orderNumber}}
                    """,
                title: "Commande annulée faute de paiement",
                html: """
                    \(paragraph)Faute de paiement reçu à temps, votre commande n° {{number}} chez {{pizzeriaName}} a été annulée \
                    à {{time}}. Rien ne vous a été prélevé.</p>
                    \(paragraph)Vous pouvez passer une nouvelle commande quand vous le souhaitez : nous serons ravis de vous régaler.</p>
                    """,
                sms: """
                    \(hello) faute de paiement reçu à temps, votre commande {{number}} chez {{pizzeriaName}} est annulée. \
                    Rien ne vous a été prélevé.
                    """,
                closing: "À bientôt,"
            )
        }
    }

    /// A whole e-mail page: a language, a title, one readable column of dark text on white, the
    /// greeting, the body and the signature, every style inline (mail clients drop style sheets).
    static func page(title: String, body: String, closing: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="fr">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(title)</title>
        </head>
        <body style="margin:0;padding:0;background-color:#ffffff;">
        <div style="max-width:560px;margin:0 auto;padding:24px 16px;font-family:Helvetica,Arial,sans-serif;\
        font-size:16px;line-height:1.5;color:#1f1f1f;">
        <h1 style="margin:0 0 24px;font-size:22px;line-height:1.3;color:#8a1c10;">\(title)</h1>
        \(paragraph)\(hello)</p>
        \(body)
        \(paragraph)\(closing)<br>L’équipe {{pizzeriaName}}</p>
        <p style="margin:24px 0 0;font-size:14px;color:#555555;">Référence : commande n° {{orderNumber}}</p>
        </div>
        </body>
        </html>
        """
    }
}
