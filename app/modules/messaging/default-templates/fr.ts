import type { EmailTemplateKey, TemplateCopy } from "~/modules/outbox/kinds";

/** French copy seeded into email_templates; admins edit the stored rows, not this file. */
export const fr: Record<EmailTemplateKey, TemplateCopy> = {
  loyalty_enrollment: {
    subject: "Bienvenue dans {{program}} : votre carte {{store}} est prête",
    preheader: "Votre carte de fidélité {{cardNumber}} est prête à l'emploi.",
    body: `Bonjour {{firstName}},

Merci d'avoir rejoint **{{program}}** chez {{store}}. Votre carte de fidélité est prête : à chacun de vos achats, présentez le code QR ci-dessous ou indiquez votre numéro de carte pour vous rapprocher de vos récompenses.

Votre numéro de carte est le **{{cardNumber}}**. Vous pouvez consulter votre carte à tout moment : [voir ma carte]({{cardUrl}}).`,
  },
  loyalty_welcome_bonus: {
    subject: "{{store}} vous offre un cadeau de bienvenue",
    preheader: "Un cadeau de {{bonus}} vous attend sur votre carte.",
    body: `Bonjour {{firstName}},

Pour vous remercier d'avoir rejoint {{program}}, nous avons ajouté **{{bonus}}** à votre carte.

Votre solde est désormais de {{balance}}. À très bientôt chez {{store}} !`,
  },
  loyalty_enrollment_with_bonus: {
    subject: "Bienvenue dans {{program}} : votre carte {{store}} est prête, avec {{bonus}} offerts",
    preheader: "Votre carte de fidélité {{cardNumber}} est prête, avec un cadeau de bienvenue de {{bonus}}.",
    body: `Bonjour {{firstName}},

Merci d'avoir rejoint **{{program}}** chez {{store}}. Votre carte de fidélité est prête et, en guise de cadeau de bienvenue, nous y avons déjà ajouté **{{bonus}}** : votre solde est de {{balance}}.

À chacun de vos achats, présentez le code QR ci-dessous ou indiquez votre numéro de carte pour vous rapprocher de vos récompenses. Votre numéro de carte est le **{{cardNumber}}**. Vous pouvez consulter votre carte à tout moment : [voir ma carte]({{cardUrl}}).`,
  },
  loyalty_reward_ready: {
    subject: "Une récompense vous attend chez {{store}}",
    preheader: "Récompense disponible : {{reward}}.",
    body: `Bonjour {{firstName}},

Bonne nouvelle : avec {{balance}} sur votre carte, vous pouvez désormais profiter de la récompense **{{reward}}** ({{rewardCost}}).

Il vous suffit de présenter votre carte ou d'indiquer son numéro lors de votre prochain achat chez {{store}}.`,
  },
  loyalty_points_expiring: {
    subject: "Votre carte {{store}} : {{expiringPoints}} à utiliser avant expiration",
    preheader: "À utiliser avant le {{expiryDate}}.",
    body: `Bonjour {{firstName}},

Petit rappel : vous avez jusqu'au {{expiryDate}} pour utiliser **{{expiringPoints}}** de votre carte {{program}}. Votre solde actuel est de {{balance}}.

Passez chez {{store}} d'ici là pour en profiter : [voir ma carte et mes récompenses]({{cardUrl}}).`,
  },
  loyalty_card_link: {
    subject: "Votre carte de fidélité {{store}}",
    preheader: "Voici le lien vers votre carte {{program}}.",
    body: `Bonjour {{firstName}},

Vous avez demandé votre carte de fidélité {{program}}, que vous avez obtenue en vous inscrivant chez {{joinedAt}}. Ouvrez-la avec le bouton ci-dessous ; lors de vos achats, présentez son code QR ou indiquez son numéro.

Votre numéro de carte est le **{{cardNumber}}** et votre solde s'élève à {{balance}}.`,
  },
  password_reset: {
    subject: "Réinitialisation de votre mot de passe RewardFlow",
    preheader: "Un lien pour choisir un nouveau mot de passe.",
    body: `Bonjour {{name}},

Une demande de réinitialisation du mot de passe de votre compte RewardFlow a été effectuée. Si elle vient de vous, choisissez un nouveau mot de passe avec le bouton ci-dessous. Ce lien n'est utilisable qu'une seule fois et expire dans {{hours}}.

Si vous n'êtes pas à l'origine de cette demande, vous pouvez ignorer cet e-mail : votre mot de passe reste inchangé.`,
  },
  staff_invitation: {
    subject: "Invitation à rejoindre RewardFlow",
    preheader: "Choisissez votre mot de passe pour commencer.",
    body: `Bonjour {{name}},

Un compte a été créé pour vous sur RewardFlow ({{scope}}). Choisissez votre mot de passe avec le bouton ci-dessous pour vous connecter. Ce lien n'est utilisable qu'une seule fois et expire dans {{days}}.`,
  },
  smtp_test: {
    subject: "E-mail de test RewardFlow via {{host}}",
    preheader: "Vos paramètres d'envoi d'e-mails fonctionnent.",
    body: `Bonjour {{name}},

Cet e-mail de test a été envoyé par RewardFlow via **{{host}}:{{port}}** ({{security}}) avec l'expéditeur {{from}}. Si vous le lisez, l'envoi des e-mails fonctionne.

Les paramètres réellement utilisés, ainsi que la provenance de chacun, sont indiqués ci-dessous.`,
  },
};
