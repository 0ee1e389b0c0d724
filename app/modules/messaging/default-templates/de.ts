import type { EmailTemplateKey, TemplateCopy } from "~/modules/outbox/kinds";

/** German copy seeded into email_templates; admins edit the stored rows, not this file. */
export const de: Record<EmailTemplateKey, TemplateCopy> = {
  loyalty_enrollment: {
    subject: "Willkommen bei {{program}}: Ihre Karte von {{store}} ist bereit",
    preheader: "Ihre Treuekarte {{cardNumber}} ist einsatzbereit.",
    body: `Hallo {{firstName}},

schön, dass Sie bei **{{program}}** von {{store}} dabei sind. Ihre Treuekarte ist bereit: Zeigen Sie bei jedem Einkauf einfach den QR-Code unten vor oder nennen Sie Ihre Kartennummer – so kommen Sie Ihren Prämien Schritt für Schritt näher.

Ihre Kartennummer lautet **{{cardNumber}}**. Ihre Karte können Sie jederzeit hier aufrufen: [meine Karte ansehen]({{cardUrl}}).`,
  },
  loyalty_welcome_bonus: {
    subject: "Ihr Willkommensgeschenk von {{store}}",
    preheader: "Auf Ihrer Karte wartet ein Geschenk: {{bonus}}.",
    body: `Hallo {{firstName}},

als Dankeschön für Ihre Anmeldung bei {{program}} haben wir Ihrer Karte **{{bonus}}** gutgeschrieben.

Ihr Guthaben beträgt jetzt {{balance}}. Bis bald bei {{store}}!`,
  },
  loyalty_enrollment_with_bonus: {
    subject: "Willkommen bei {{program}}: Ihre Karte von {{store}} ist bereit – mit {{bonus}} als Geschenk",
    preheader: "Ihre Treuekarte {{cardNumber}} ist einsatzbereit, mit einem Willkommensgeschenk: {{bonus}}.",
    body: `Hallo {{firstName}},

schön, dass Sie bei **{{program}}** von {{store}} dabei sind. Ihre Treuekarte ist bereit, und als Willkommensgeschenk haben wir ihr bereits **{{bonus}}** gutgeschrieben: Ihr Guthaben beträgt {{balance}}.

Zeigen Sie bei jedem Einkauf einfach den QR-Code unten vor oder nennen Sie Ihre Kartennummer – so kommen Sie Ihren Prämien Schritt für Schritt näher. Ihre Kartennummer lautet **{{cardNumber}}**. Ihre Karte können Sie jederzeit hier aufrufen: [meine Karte ansehen]({{cardUrl}}).`,
  },
  loyalty_reward_ready: {
    subject: "Bei {{store}} wartet eine Prämie auf Sie",
    preheader: "Jetzt einlösbar: {{reward}}.",
    body: `Hallo {{firstName}},

wir haben gute Nachrichten: Ihr Guthaben beträgt jetzt {{balance}}. Damit können Sie diese Prämie einlösen: **{{reward}}** ({{rewardCost}}).

Zeigen Sie bei Ihrem nächsten Einkauf bei {{store}} einfach Ihre Karte vor oder nennen Sie ihre Nummer.`,
  },
  loyalty_points_expiring: {
    subject: "Ihre Karte von {{store}}: Guthaben verfällt bald",
    preheader: "Lösen Sie es bis zum {{expiryDate}} ein.",
    body: `Hallo {{firstName}},

auf Ihrer Karte für {{program}} verfällt am {{expiryDate}} ein Teil Ihres Guthabens: **{{expiringPoints}}**. Ihr aktuelles Guthaben beträgt {{balance}}.

Schauen Sie vorher noch bei {{store}} vorbei und lösen Sie es ein: [meine Karte und Prämien ansehen]({{cardUrl}}).`,
  },
  loyalty_card_link: {
    subject: "Ihre Treuekarte von {{store}}",
    preheader: "Hier ist der Link zu Ihrer Karte für {{program}}.",
    body: `Hallo {{firstName}},

Sie haben Ihre Treuekarte für {{program}} angefordert; angemeldet haben Sie sich bei {{joinedAt}}. Öffnen Sie sie über die Schaltfläche unten; beim Einkaufen zeigen Sie ihren QR-Code vor oder nennen ihre Nummer.

Ihre Kartennummer lautet **{{cardNumber}}**, Ihr Guthaben beträgt {{balance}}.`,
  },
  password_reset: {
    subject: "RewardFlow-Passwort zurücksetzen",
    preheader: "Hier können Sie ein neues Passwort festlegen.",
    body: `Hallo {{name}},

für Ihr RewardFlow-Konto wurde das Zurücksetzen des Passworts angefordert. Wenn Sie das waren, legen Sie über die Schaltfläche unten ein neues Passwort fest. Der Link kann nur einmal verwendet werden und ist {{hours}} lang gültig.

Falls Sie das nicht angefordert haben, können Sie diese E-Mail einfach ignorieren – Ihr Passwort bleibt unverändert.`,
  },
  staff_invitation: {
    subject: "Ihre Einladung zu RewardFlow",
    preheader: "Legen Sie Ihr Passwort fest, um loszulegen.",
    body: `Hallo {{name}},

für Sie wurde ein Konto bei RewardFlow angelegt ({{scope}}). Legen Sie über die Schaltfläche unten Ihr Passwort fest, um sich anzumelden. Der Link kann nur einmal verwendet werden und ist {{days}} lang gültig.`,
  },
  smtp_test: {
    subject: "RewardFlow-Test-E-Mail über {{host}}",
    preheader: "Ihre E-Mail-Einstellungen funktionieren.",
    body: `Hallo {{name}},

diese Test-E-Mail wurde von RewardFlow über **{{host}}:{{port}}** ({{security}}) mit dem Absender {{from}} verschickt. Wenn Sie sie lesen können, funktioniert der E-Mail-Versand.

Unten sehen Sie, welche Einstellungen tatsächlich verwendet wurden und woher sie jeweils stammen.`,
  },
};
