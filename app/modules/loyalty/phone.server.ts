import { type CountryCode, getExampleNumber, parsePhoneNumberFromString } from "libphonenumber-js/max";
import examples from "libphonenumber-js/mobile/examples";

/**
 * A shopper's phone number in E.164, or null when it is not a number that can exist: checked
 * against the full numbering plan (the server's copy; the browser never loads it). A number
 * without a country code is read as `country`'s.
 */
export function shopperPhone(value: string, country: CountryCode): string | null {
  const phone = parsePhoneNumberFromString(value, country);
  return phone?.isValid() ? phone.number : null;
}

/** A mobile number of `country` as its people write it and with its country code, for hints and errors. */
export function phoneExample(country: CountryCode): { national: string; international: string } {
  const example = getExampleNumber(country, examples);
  if (!example) return { national: "621 123 456", international: "+352 621 123 456" };
  return { national: example.formatNational(), international: example.formatInternational() };
}
