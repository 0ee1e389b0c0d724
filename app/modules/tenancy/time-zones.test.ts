import { describe, expect, it } from "vitest";
import { countryOfTimeZone, timeZoneChoices } from "./time-zones";

describe("time zone choices", () => {
  it("puts the merchant's country first, then every region sorted in the page's language", () => {
    const choices = timeZoneChoices("de", "DE");
    expect(choices.country?.name).toBe("Deutschland");
    expect(choices.country?.zones.map((zone) => zone.value)).toEqual(["Europe/Berlin", "Europe/Busingen"]);
    expect(choices.regions.map((group) => group.region)).toContain("Europe");
    const europe = choices.regions.find((group) => group.region === "Europe")?.zones ?? [];
    const labels = europe.map((zone) => zone.label);
    expect(labels).toEqual([...labels].sort((a, b) => a.localeCompare(b, "de")));
    expect(europe.find((zone) => zone.value === "Europe/Luxembourg")?.label).toBe("Luxembourg");
    const america = choices.regions.find((group) => group.region === "America")?.zones ?? [];
    expect(america.find((zone) => zone.value === "America/Argentina/Rio_Gallegos")?.label).toBe(
      "Argentina / Rio Gallegos",
    );
    // Every supported zone is offered once among the regions.
    const offered = choices.regions.flatMap((group) => group.zones.map((zone) => zone.value));
    expect(new Set(offered).size).toBe(offered.length);
    expect(offered.length).toBe(Intl.supportedValuesOf("timeZone").length);
  });

  it("finds a zone's country, and names it in the page's language", () => {
    expect(countryOfTimeZone("Europe/Luxembourg")).toBe("LU");
    expect(countryOfTimeZone("Europe/Paris")).toBe("FR");
    expect(countryOfTimeZone("Not/A_Zone")).toBeUndefined();
    expect(timeZoneChoices("fr", "LU").country).toEqual({
      name: "Luxembourg",
      zones: [{ value: "Europe/Luxembourg", label: "Luxembourg" }],
    });
    expect(timeZoneChoices("lb", "LU").country?.name).toBe("Lëtzebuerg");
    expect(timeZoneChoices("en", undefined).country).toBeNull();
  });
});
