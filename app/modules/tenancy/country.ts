import type { CountryCode } from "libphonenumber-js";

/**
 * A store's country, read from its time zone: the store record has no country of its own, and the
 * zones the platform serves each belong to one country. Phone numbers typed without a country code
 * are read as this country's; elsewhere (or an unknown zone) Luxembourg, the platform's home.
 */
const countryOfZone: Record<string, CountryCode> = {
  "Europe/Luxembourg": "LU",
  "Europe/Paris": "FR",
  "Europe/Berlin": "DE",
  "Europe/Brussels": "BE",
  "Europe/Amsterdam": "NL",
  "Europe/Zurich": "CH",
  "Europe/Vienna": "AT",
  "Europe/Rome": "IT",
  "Europe/Madrid": "ES",
  "Europe/Lisbon": "PT",
  "Europe/London": "GB",
  "Europe/Dublin": "IE",
  "Europe/Copenhagen": "DK",
  "Europe/Stockholm": "SE",
  "Europe/Oslo": "NO",
  "Europe/Helsinki": "FI",
  "Europe/Warsaw": "PL",
  "Europe/Prague": "CZ",
};

export const platformCountry: CountryCode = "LU";

export function storeCountry(store: { timezone: string }): CountryCode {
  return countryOfZone[store.timezone] ?? platformCountry;
}
