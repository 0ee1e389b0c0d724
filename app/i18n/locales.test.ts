import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { defaultTemplates } from "~/modules/messaging/default-templates";
import { type Locale, locales } from "./locales";

const root = path.resolve(import.meta.dirname, "../../locales");
type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ""): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const full = prefix ? `${prefix}.${key}` : key;
    if (typeof value === "string") out.set(full, value);
    else for (const [k, v] of flatten(value, full)) out.set(k, v);
  }
  return out;
}

const pluralSuffix = /_(zero|one|two|few|many|other)$/;
const load = (locale: string, file: string) => flatten(JSON.parse(readFileSync(path.join(root, locale, file), "utf8")));
const namespaces = readdirSync(path.join(root, "en")).filter((file) => file.endsWith(".json"));
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1]).sort();

describe.each(locales.filter((locale) => locale !== "en"))("locale %s", (locale) => {
  it.each(namespaces)("has every key of en/%s, translated, with the same placeholders", (file) => {
    const en = load("en", file);
    const other = load(locale, file);
    const categories = new Intl.PluralRules(locale).resolvedOptions().pluralCategories;
    const problems: string[] = [];
    for (const [key, text] of en) {
      if (pluralSuffix.test(key)) continue;
      if (!other.has(key)) problems.push(`missing ${key}`);
      else if (JSON.stringify(placeholders(other.get(key) ?? "")) !== JSON.stringify(placeholders(text)))
        problems.push(`placeholders differ in ${key}`);
    }
    const pluralBases = new Set(
      [...en.keys()].filter((key) => pluralSuffix.test(key)).map((key) => key.replace(pluralSuffix, "")),
    );
    for (const base of pluralBases) {
      for (const category of categories) {
        if (!other.has(`${base}_${category}`)) problems.push(`missing plural ${base}_${category}`);
      }
    }
    for (const key of other.keys()) {
      const base = key.replace(pluralSuffix, "");
      if (!en.has(key) && !pluralBases.has(base)) problems.push(`unknown key ${key}`);
    }
    for (const [key, text] of other) if (text.trim() === "") problems.push(`empty ${key}`);
    expect(problems).toEqual([]);
  });
});

describe("locale en", () => {
  it.each(namespaces)("has every plural category English needs in %s", (file) => {
    const en = load("en", file);
    const bases = new Set(
      [...en.keys()].filter((key) => pluralSuffix.test(key)).map((key) => key.replace(pluralSuffix, "")),
    );
    const missing = [...bases].flatMap((base) =>
      ["one", "other"].filter((c) => !en.has(`${base}_${c}`)).map((c) => `${base}_${c}`),
    );
    expect(missing).toEqual([]);
  });
});

/**
 * A value left as the English one is usually a string nobody translated. The reviewed exceptions:
 * names that are the same in every language, and words each language shares with English.
 */
const sameInEveryLanguage = new Set([
  "RewardFlow",
  "Google Wallet",
  "Google Pay & Wallet Console",
  "STARTTLS",
  "PIN",
  "Port",
  "Host",
  // Each language's name in that language (the language switcher).
  "Français",
  "Deutsch",
  "Lëtzebuergesch",
  "English",
]);
const sharedWithEnglish: Record<Exclude<Locale, "en">, string[]> = {
  fr: [
    "Points",
    "Type",
    "Pages",
    "Active",
    "Date",
    "Actions",
    "Source",
    "{{count}} point",
    "{{count}} points",
    "{{minutes}} min",
    // The time-zone region (IANA's "Europe/…").
    "Europe",
  ],
  de: [
    "Dashboard",
    "Name",
    "Status",
    "Subdomain",
    "Website (optional)",
    "Preheader",
    "Text",
    "Detail:",
    "Online",
    "Offline",
  ],
  lb: ["Dashboard", "Status", "Subdomain", "Preheader", "Text", "Detail:", "Online", "Offline"],
};
/** Sample people, stores and programs of the email previews: names, not words. */
const sampleNames = /^sample\./;
/** Nothing to translate: placeholders, punctuation and symbols only. */
const wordless = (text: string) => !/\p{L}/u.test(text.replace(/\{\{\s*\w+\s*\}\}/g, ""));

describe.each(locales.filter((locale) => locale !== "en"))("locale %s", (locale) => {
  it.each(namespaces)("translates every value of en/%s (none left in English unless reviewed)", (file) => {
    const en = load("en", file);
    const other = load(locale, file);
    const shared = new Set(sharedWithEnglish[locale as Exclude<Locale, "en">]);
    const untranslated = [...other].filter(
      ([key, text]) =>
        en.get(key) === text &&
        !wordless(text) &&
        !sameInEveryLanguage.has(text) &&
        !shared.has(text) &&
        !(file === "email.json" && sampleNames.test(key)),
    );
    expect(untranslated.map(([key, text]) => `${key}: ${text}`)).toEqual([]);
  });
});

describe("French typography", () => {
  it.each(namespaces)("puts a no-break space before ; : ? ! » and after « in fr/%s", (file) => {
    const loose = [...load("fr", file)].filter(([, text]) => / [;:?!»]|« /.test(text)).map(([key]) => key);
    expect(loose).toEqual([]);
  });
});

describe("one apostrophe", () => {
  const templates = (locale: "fr" | "lb") =>
    Object.entries(defaultTemplates[locale]).flatMap(([key, copy]) =>
      Object.entries(copy).map(([part, text]) => [`template ${key}.${part}`, text] as const),
    );
  it.each(["fr", "lb"] as const)("writes the straight apostrophe in %s (locale files and default emails)", (locale) => {
    const values = [...namespaces.flatMap((file) => [...load(locale, file)]), ...templates(locale)];
    expect(values.filter(([, text]) => text.includes("’")).map(([key]) => key)).toEqual([]);
  });
});

/** Variants replaced by the one word of docs/copy-glossary.md; a new string uses the glossary's word. */
const notInGlossary: Record<Exclude<Locale, "en">, RegExp[]> = {
  fr: [
    /portail marchand/,
    /appair/i,
    /(?<!\p{L})transactions?(?!\p{L})/u,
    /QR code/,
    /(?<!\p{L})[Ee]mploy[ée]/u,
    /(?<!\p{L})[Gg]érant/u,
    /vitrine|boutique/,
  ],
  de: [
    /Filiale(?!nleitung)|Filialseite|Filialcode|Filialpersonal/,
    /Kontostand/,
    /Kundenkarte/,
    /Transaktion/,
    /Kundschaft/,
    /(?<![\p{L}-])E[Mm]ail|E-mail/u,
  ],
  lb: [
    /Saldo/,
    /(?<!\p{L})Prime/u,
    /Buttek|Buttéker/,
    /Bedéngung/,
    /Treie/,
    /Koppelcode/,
    /Filialleedung|Geschäftsleedung|Responsabel/,
    /[Kk]onto(?!\p{L})/u,
    /Transaktioun/,
    /gülteg/,
    /(?<!\p{L})(Eng|Dës|Är) PIN/u,
    /Wëllkommbonus/,
  ],
};

describe.each(locales.filter((locale) => locale !== "en"))("locale %s", (locale) => {
  it("keeps to the glossary's words", () => {
    const avoided = notInGlossary[locale as Exclude<Locale, "en">];
    const strays = namespaces.flatMap((file) =>
      [...load(locale, file)]
        .filter(([, text]) => avoided.some((pattern) => pattern.test(text)))
        .map(([key, text]) => `${file} ${key}: ${text}`),
    );
    expect(strays).toEqual([]);
  });
});
