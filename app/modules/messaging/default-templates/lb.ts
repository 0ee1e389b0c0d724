import type { EmailTemplateKey, TemplateCopy } from "~/modules/outbox/kinds";

/** Luxembourgish copy seeded into email_templates; admins edit the stored rows, not this file. */
export const lb: Record<EmailTemplateKey, TemplateCopy> = {
  loyalty_enrollment: {
    subject: "Wëllkomm bei {{program}}: Är Kaart fir {{store}} ass prett",
    preheader: "Är Fidelitéitskaart {{cardNumber}} ass prett.",
    body: `Moien {{firstName}},

Merci, datt Dir Iech bei {{store}} fir **{{program}}** ugemellt hutt. Är Fidelitéitskaart ass prett: Weist bei all Akaf de QR-Code hei ënnendrënner oder gitt Är Kaartennummer un, an esou sammelt Dir no an no Är Belounungen.

Är Kaartennummer ass **{{cardNumber}}**. Dir kënnt Är Kaart zu all Moment opmaachen: [meng Kaart ukucken]({{cardUrl}}).`,
  },
  loyalty_welcome_bonus: {
    subject: "Äre Wëllkommskaddo bei {{store}}",
    preheader: "Äre Kaddo: {{bonus}}, scho op Ärer Kaart.",
    body: `Moien {{firstName}},

Als Merci fir Är Umeldung bei {{program}} hu mir **{{bonus}}** op Är Kaart gesat.

Äre Solde ass elo {{balance}}. Bis geschwënn bei {{store}}!`,
  },
  loyalty_enrollment_with_bonus: {
    subject: "Wëllkomm bei {{program}}: Är Kaart fir {{store}} ass prett, mat {{bonus}} als Kaddo",
    preheader: "Är Fidelitéitskaart {{cardNumber}} ass prett, mat engem Wëllkommskaddo: {{bonus}}.",
    body: `Moien {{firstName}},

Merci, datt Dir Iech bei {{store}} fir **{{program}}** ugemellt hutt. Är Fidelitéitskaart ass prett, an als Wëllkommskaddo hu mir scho **{{bonus}}** drop gesat: Äre Solde ass {{balance}}.

Weist bei all Akaf de QR-Code hei ënnendrënner oder gitt Är Kaartennummer un, an esou sammelt Dir no an no Är Belounungen. Är Kaartennummer ass **{{cardNumber}}**. Dir kënnt Är Kaart zu all Moment opmaachen: [meng Kaart ukucken]({{cardUrl}}).`,
  },
  loyalty_reward_ready: {
    subject: "Bei {{store}} waart eng Belounung op Iech",
    preheader: "Dir hutt genuch fir {{reward}}.",
    body: `Moien {{firstName}},

Eng gutt Noriicht: Mat {{balance}} op Ärer Kaart kënnt Dir Iech elo **{{reward}}** ({{rewardCost}}) gënnen.

Weist einfach Är Kaart oder gitt hir Nummer un, wann Dir déi nächst Kéier bei {{store}} akaft.`,
  },
  loyalty_points_expiring: {
    subject: "Geschwënn ofgelaf: {{expiringPoints}} op Ärer Kaart bei {{store}}",
    preheader: "Profitéiert virum {{expiryDate}} dovun.",
    body: `Moien {{firstName}},

Um {{expiryDate}} verfält en Deel vun Ärem Solde op der Kaart fir {{program}}, nämlech **{{expiringPoints}}**. Ären aktuelle Solde ass {{balance}}.

Kommt virdrun nach bei {{store}} laanscht, fir dovun ze profitéieren: [meng Kaart a Beloununge kucken]({{cardUrl}}).`,
  },
  loyalty_card_link: {
    subject: "Är Fidelitéitskaart bei {{store}}",
    preheader: "Hei ass de Link op Är Kaart fir {{program}}.",
    body: `Moien {{firstName}},

Dir hutt no Ärer Fidelitéitskaart fir {{program}} gefrot; ugemellt hutt Dir Iech bei {{joinedAt}}. Maacht se mam Knäppchen hei ënnendrënner op; beim Akafe weist Dir hire QR-Code oder gitt hir Nummer un.

Är Kaartennummer ass **{{cardNumber}}** an Äre Solde ass {{balance}}.`,
  },
  password_reset: {
    subject: "Äert RewardFlow-Passwuert zrécksetzen",
    preheader: "E Link, fir en neit Passwuert ze wielen.",
    body: `Moien {{name}},

Een huet gefrot, d'Passwuert vun Ärem RewardFlow-Kont zréckzesetzen. Wann Dir dat gefrot hutt, wielt mam Knäppchen hei ënnendrënner en neit Passwuert. De Link funktionéiert nëmmen eemol an ass {{hours}} gëlteg.

Wann Dir dat net gefrot hutt, kënnt Dir dës E-Mail ignoréieren: Äert Passwuert bleift, wéi et ass.`,
  },
  staff_invitation: {
    subject: "Dir sidd bei RewardFlow invitéiert",
    preheader: "Wielt Äert Passwuert, fir unzefänken.",
    body: `Moien {{name}},

Fir Iech gouf e Kont op RewardFlow ugeluecht ({{scope}}). Wielt mam Knäppchen hei ënnendrënner Äert Passwuert, fir Iech unzemellen. De Link funktionéiert nëmmen eemol an ass {{days}} gëlteg.`,
  },
  smtp_test: {
    subject: "Test-E-Mail vu RewardFlow iwwer {{host}}",
    preheader: "Är E-Mail-Astellunge funktionéieren.",
    body: `Moien {{name}},

Dës Test-E-Mail gouf vu RewardFlow iwwer **{{host}}:{{port}}** ({{security}}) als {{from}} geschéckt. Wann Dir se liest, funktionéiert d'Verschécke vun E-Mailen.

Hei ënnendrënner stinn d'Astellungen, déi wierklech benotzt goufen, mat der Quell vun all Astellung.`,
  },
};
