import { intlTags, type Locale } from "~/i18n/locales";

/** The IANA regions (the part before the first "/"), in the order of their names in the page's language. */
export const timeZoneRegions = [
  "Africa",
  "America",
  "Antarctica",
  "Arctic",
  "Asia",
  "Atlantic",
  "Australia",
  "Europe",
  "Indian",
  "Pacific",
] as const;
export type TimeZoneRegion = (typeof timeZoneRegions)[number];

export interface TimeZoneOption {
  value: string;
  label: string;
}

export interface TimeZoneChoices {
  /** The zones of the merchant's country, listed first. */
  country: { name: string; zones: TimeZoneOption[] } | null;
  regions: { region: TimeZoneRegion; zones: TimeZoneOption[] }[];
}

/** Where a store sits when its merchant has no store yet: the platform's home market. */
export const defaultCountry = "LU";

let countryByZone: Map<string, string> | null = null;

/** The country (ISO 3166 code) whose clocks follow `zone`, from ICU's own zone–country table. */
export function countryOfTimeZone(zone: string): string | undefined {
  if (!countryByZone) {
    countryByZone = new Map();
    const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (const first of letters) {
      for (const second of letters) {
        const country = first + second;
        for (const countryZone of zonesOfCountry(country)) {
          if (!countryByZone.has(countryZone)) countryByZone.set(countryZone, country);
        }
      }
    }
  }
  return countryByZone.get(zone);
}

function zonesOfCountry(country: string): string[] {
  const locale = new Intl.Locale(`und-${country}`) as Intl.Locale & { timeZones?: string[] };
  return locale.timeZones ?? [];
}

/** "America/Argentina/Rio_Gallegos" under America reads "Argentina / Rio Gallegos". */
function cityLabel(zone: string): string {
  return zone.split("/").slice(1).join(" / ").replaceAll("_", " ");
}

/**
 * Every time zone a store may use, sorted in the page's language and grouped by region, with the
 * merchant's country first (the zone a merchant wants is nearly always there).
 */
export function timeZoneChoices(locale: Locale, country: string | undefined): TimeZoneChoices {
  const collator = new Intl.Collator(intlTags[locale]);
  const supported = new Set(Intl.supportedValuesOf("timeZone"));
  const option = (zone: string): TimeZoneOption => ({ value: zone, label: cityLabel(zone) });
  const sorted = (zones: string[]) => zones.map(option).sort((a, b) => collator.compare(a.label, b.label));
  const countryZones = country ? zonesOfCountry(country).filter((zone) => supported.has(zone)) : [];
  const regions = timeZoneRegions
    .map((region) => ({
      region,
      zones: sorted([...supported].filter((zone) => zone.startsWith(`${region}/`))),
    }))
    .filter((group) => group.zones.length > 0);
  return {
    country:
      country && countryZones.length > 0
        ? {
            name: new Intl.DisplayNames([intlTags[locale]], { type: "region" }).of(country) ?? country,
            zones: sorted(countryZones),
          }
        : null,
    regions,
  };
}
