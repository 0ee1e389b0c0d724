import { sql } from "drizzle-orm";
import type { Database } from "~/db/client.server";
import type { Locale, PartialTranslations } from "~/i18n/locales";
import { loyaltyPrograms, loyaltyRewards, type PointsExpiryRule } from "~/modules/loyalty/schema";
import { merchants, stores } from "~/modules/tenancy/schema";

interface DemoStore {
  code: string;
  subdomain: string;
  name: string;
  defaultLanguage: Locale;
  websiteUrl?: string;
  contactEmail?: string;
  /** Postal address, lines separated by newlines; none for a shop that sells online only. */
  address?: string;
  loyaltyEnabled: boolean;
  onlineOnly?: boolean;
  description: Required<PartialTranslations>;
}

interface DemoMerchant {
  name: string;
  slug: string;
  defaultLanguage: Locale;
  stores: DemoStore[];
  program?: {
    name: Required<PartialTranslations>;
    kind: "points" | "stamps";
    pointsPerEuro: number;
    stampsPerCard: number;
    welcomeBonus: number;
    brandColor: string;
    pointsExpiryRule?: PointsExpiryRule;
    pointsExpiryMonths?: number;
    /** Served by the app from public/ (demo-logos/, demo-terms/), so the demo needs no outside host. */
    logoUrl: string;
    termsUrl: string;
    rewards: { cost: number; name: Required<PartialTranslations> }[];
  };
}

export const demoMerchants: DemoMerchant[] = [
  {
    name: "Fashion Group S.A.",
    slug: "fashion-group",
    defaultLanguage: "fr",
    stores: [
      {
        code: "FASHIONHUB",
        subdomain: "fashionhub",
        name: "FashionHub",
        defaultLanguage: "fr",
        websiteUrl: "https://fashionhub.example",
        contactEmail: "club@fashionhub.example",
        address: "12, Grand-Rue\nL-1660 Luxembourg",
        loyaltyEnabled: true,
        description: {
          fr: "La mode de la saison au cœur de Luxembourg-Ville : prêt-à-porter femme et homme, accessoires et conseils personnalisés.",
          de: "Die Mode der Saison im Herzen der Stadt Luxemburg: Damen- und Herrenmode, Accessoires und persönliche Beratung.",
          lb: "D'Moud vun der Saison am Häerz vun der Stad Lëtzebuerg: Dammen- an Hierekleeder, Accessoiren a perséinleche Rot.",
          en: "This season's fashion in the heart of Luxembourg City: women's and men's clothing, accessories and personal advice.",
        },
      },
      {
        code: "FASHIONOUTLET",
        subdomain: "fashionoutlet",
        name: "FashionOutlet",
        defaultLanguage: "de",
        websiteUrl: "https://fashionoutlet.example",
        contactEmail: "club@fashionoutlet.example",
        address: "45, rue de l'Alzette\nL-4011 Esch-sur-Alzette",
        loyaltyEnabled: true,
        description: {
          fr: "Les marques de FashionHub à prix outlet, toute l'année, à Esch-sur-Alzette.",
          de: "Die Marken von FashionHub zu Outlet-Preisen, das ganze Jahr über in Esch an der Alzette.",
          lb: "D'Marke vu FashionHub zu Outlet-Präisser, d'ganzt Joer iwwer zu Esch-Uelzecht.",
          en: "FashionHub's brands at outlet prices, all year round, in Esch-sur-Alzette.",
        },
      },
    ],
    program: {
      name: { fr: "Club Fashion", de: "Fashion Club", lb: "Fashion Club", en: "Fashion Club" },
      kind: "points",
      pointsPerEuro: 1,
      stampsPerCard: 10,
      welcomeBonus: 50,
      brandColor: "#7b2d5b",
      logoUrl: "/demo-logos/fashion-group.svg",
      termsUrl: "/demo-terms/fashion-group.html",
      rewards: [
        {
          cost: 200,
          name: {
            fr: "Bon d'achat de 10 €",
            de: "Einkaufsgutschein über 10 €",
            lb: "Akafsbong vun 10 €",
            en: "€10 shopping voucher",
          },
        },
        {
          cost: 500,
          name: {
            fr: "Bon d'achat de 30 €",
            de: "Einkaufsgutschein über 30 €",
            lb: "Akafsbong vun 30 €",
            en: "€30 shopping voucher",
          },
        },
      ],
    },
  },
  {
    name: "WizaTech S.à r.l.",
    slug: "wizatech",
    defaultLanguage: "en",
    stores: [
      {
        code: "WIZATECH",
        subdomain: "wizatech",
        name: "WizaTech",
        defaultLanguage: "en",
        address: "150, route d'Arlon\nL-8008 Strassen",
        loyaltyEnabled: true,
        description: {
          fr: "Réparation de smartphones et d'ordinateurs, accessoires et conseils techniques à Strassen.",
          de: "Reparatur von Smartphones und Computern, Zubehör und technische Beratung in Strassen.",
          lb: "Reparatur vu Smartphones a Computeren, Accessoiren an technesche Rot zu Stroossen.",
          en: "Smartphone and computer repairs, accessories and technical advice in Strassen.",
        },
      },
    ],
    program: {
      name: { fr: "Carte WizaTech", de: "WizaTech-Karte", lb: "WizaTech-Kaart", en: "WizaTech Card" },
      kind: "stamps",
      pointsPerEuro: 0,
      stampsPerCard: 10,
      welcomeBonus: 1,
      brandColor: "#0b5cad",
      logoUrl: "/demo-logos/wizatech.svg",
      termsUrl: "/demo-terms/wizatech.html",
      rewards: [
        {
          cost: 10,
          name: {
            fr: "Un accessoire offert (jusqu'à 25 €)",
            de: "Ein Zubehörteil gratis (bis 25 €)",
            lb: "En Accessoire gratis (bis 25 €)",
            en: "A free accessory (up to €25)",
          },
        },
      ],
    },
  },
  {
    name: "BookWorld",
    slug: "bookworld",
    defaultLanguage: "fr",
    stores: [
      {
        code: "BOOKWORLD",
        subdomain: "bookworld",
        name: "BookWorld",
        defaultLanguage: "fr",
        address: "8, rue du Curé\nL-1368 Luxembourg",
        loyaltyEnabled: true,
        description: {
          fr: "Librairie indépendante : romans, BD et livres jeunesse en français, allemand, luxembourgeois et anglais.",
          de: "Unabhängige Buchhandlung: Romane, Comics und Kinderbücher auf Französisch, Deutsch, Luxemburgisch und Englisch.",
          lb: "Onofhängege Bichergeschäft: Romaner, Comicen a Kannerbicher op Franséisch, Däitsch, Lëtzebuergesch an Englesch.",
          en: "Independent bookshop: novels, comics and children's books in French, German, Luxembourgish and English.",
        },
      },
    ],
    program: {
      name: { fr: "Club Lecture", de: "Leseclub", lb: "Liesclub", en: "Readers' Club" },
      kind: "points",
      pointsPerEuro: 2,
      stampsPerCard: 10,
      welcomeBonus: 20,
      brandColor: "#8a4b08",
      logoUrl: "/demo-logos/bookworld.svg",
      termsUrl: "/demo-terms/bookworld.html",
      rewards: [
        {
          cost: 100,
          name: {
            fr: "Un marque-page collector",
            de: "Ein Sammler-Lesezeichen",
            lb: "E Sammler-Lieszeechen",
            en: "A collector's bookmark",
          },
        },
        { cost: 300, name: { fr: "Bon de 15 €", de: "Gutschein über 15 €", lb: "Bong vu 15 €", en: "€15 voucher" } },
      ],
    },
  },
  {
    name: "LuxWeb",
    slug: "luxweb",
    defaultLanguage: "lb",
    stores: [
      {
        code: "LUXWEB",
        subdomain: "luxweb",
        name: "LuxWeb",
        defaultLanguage: "lb",
        loyaltyEnabled: true,
        onlineOnly: true,
        description: {
          fr: "Boutique en ligne de produits luxembourgeois : épicerie fine, vins de la Moselle et cadeaux.",
          de: "Onlineshop für luxemburgische Produkte: Feinkost, Moselweine und Geschenke.",
          lb: "Online-Buttek fir lëtzebuergesch Produkter: Epicerie fine, Musel-Wäiner a Kaddoen.",
          en: "Online shop for Luxembourg products: delicatessen, Moselle wines and gifts.",
        },
      },
    ],
    program: {
      name: { fr: "LuxWeb Fidélité", de: "LuxWeb Treue", lb: "LuxWeb Trei", en: "LuxWeb Loyalty" },
      kind: "points",
      pointsPerEuro: 1,
      stampsPerCard: 10,
      welcomeBonus: 25,
      brandColor: "#00a1de",
      logoUrl: "/demo-logos/luxweb.svg",
      termsUrl: "/demo-terms/luxweb.html",
      // One demo program with an expiry rule, so the demo history shows expiries (ADR 022).
      pointsExpiryRule: "after_inactivity",
      pointsExpiryMonths: 3,
      rewards: [
        {
          cost: 250,
          name: { fr: "Livraison offerte", de: "Kostenloser Versand", lb: "Gratis Liwwerung", en: "Free delivery" },
        },
      ],
    },
  },
  {
    name: "WizaMart",
    slug: "wizamart",
    defaultLanguage: "fr",
    stores: [
      {
        code: "WIZAMART",
        subdomain: "wizamart",
        name: "WizaMart",
        defaultLanguage: "fr",
        websiteUrl: "https://wizamart.example",
        address: "3, rue de Luxembourg\nL-8077 Bertrange",
        loyaltyEnabled: false,
        description: {
          fr: "Supermarché de quartier à Bertrange, ouvert 7 jours sur 7.",
          de: "Nachbarschaftssupermarkt in Bartringen, 7 Tage die Woche geöffnet.",
          lb: "Quartiers-Supermarché zu Bartreng, 7 Deeg op 7 op.",
          en: "Neighbourhood supermarket in Bertrange, open 7 days a week.",
        },
      },
    ],
  },
];

/** Inserts the demo tenants. Idempotent: a merchant whose slug exists is left as it is. */
export async function seedDemoData(db: Database): Promise<{ created: number }> {
  let created = 0;
  for (const demo of demoMerchants) {
    await db.transaction(async (tx) => {
      const [merchant] = await tx
        .insert(merchants)
        .values({ name: demo.name, slug: demo.slug, defaultLanguage: demo.defaultLanguage })
        .onConflictDoNothing({ target: merchants.slug })
        .returning();
      if (!merchant) return;
      created++;
      for (const store of demo.stores) {
        await tx.insert(stores).values({
          merchantId: merchant.id,
          code: store.code,
          subdomain: store.subdomain,
          name: store.name,
          description: store.description.en,
          descriptionTranslations: store.description,
          defaultLanguage: store.defaultLanguage,
          enabledLanguages: ["fr", "de", "lb", "en"],
          websiteUrl: store.websiteUrl ?? null,
          contactEmail: store.contactEmail ?? null,
          address: store.address ?? null,
          loyaltyEnabled: store.loyaltyEnabled,
          onlineOnly: store.onlineOnly ?? false,
        });
      }
      if (!demo.program) return;
      const { rewards, name, ...program } = demo.program;
      const [row] = await tx
        .insert(loyaltyPrograms)
        .values({ ...program, merchantId: merchant.id, name: name.en, nameTranslations: name })
        .returning();
      if (!row) throw new Error("program insert returned no row");
      for (const reward of rewards) {
        await tx
          .insert(loyaltyRewards)
          .values({ programId: row.id, cost: reward.cost, name: reward.name.en, nameTranslations: reward.name });
      }
    });
  }
  return { created };
}

export async function databaseIsEmpty(db: Database): Promise<boolean> {
  const [row] = await db.execute<{ empty: boolean }>(sql`select not exists (select 1 from merchants) as empty`);
  return row?.empty ?? true;
}
