import { parseWithZod } from "@conform-to/zod/v4";
import { describe, expect, it } from "vitest";
import { programSchema, withoutOtherKindFields } from "./program-schema";

const form = (entries: Record<string, string>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(entries)) data.append(name, value);
  return data;
};

describe("program form", () => {
  it("ignores the hidden fields of the other kind of program", () => {
    const stamps = form({
      "name.en": "Coffee card",
      kind: "stamps",
      stampsPerCard: "8",
      pointsPerEuro: "not a number",
      pointsExpiryRule: "after_earning",
      brandColor: "#1f4e79",
    });
    const parsed = parseWithZod(withoutOtherKindFields(stamps), { schema: programSchema });
    expect(parsed.status).toBe("success");
    if (parsed.status !== "success") return;
    expect(parsed.value.stampsPerCard).toBe(8);
    // Expiry stays: a rule on a stamps program is refused when saving, with a message.
    expect(parsed.value.pointsExpiryRule).toBe("after_earning");
    // Without the filter, the hidden points field would block saving with an error no one sees.
    expect(parseWithZod(stamps, { schema: programSchema }).status).toBe("error");

    const points = withoutOtherKindFields(form({ kind: "points", pointsPerEuro: "2", stampsPerCard: "-1" }));
    expect([...points.keys()]).toEqual(["kind", "pointsPerEuro"]);
  });
});
