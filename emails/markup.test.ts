import { describe, expect, it } from "vitest";
import { fillPlain, parseBody, parsePlain } from "./markup";

const allowed = { placeholders: ["firstName", "cardUrl", "store"], linkTargets: ["cardUrl"] };

describe("email template markup", () => {
  it("reads paragraphs, line breaks, bold, links and placeholders", () => {
    const result = parseBody(
      "Hello {{firstName}},\n\nYour card at **{{store}}** is ready:\n[open it]({{cardUrl}}) or [read the terms](https://example.com/terms).",
      allowed,
    );
    expect(result).toEqual({
      ok: true,
      value: [
        [
          { type: "text", value: "Hello " },
          { type: "placeholder", name: "firstName" },
          { type: "text", value: "," },
        ],
        [
          { type: "text", value: "Your card at " },
          { type: "bold", children: [{ type: "placeholder", name: "store" }] },
          { type: "text", value: " is ready:" },
          { type: "break" },
          {
            type: "link",
            href: { type: "placeholder", name: "cardUrl" },
            children: [{ type: "text", value: "open it" }],
          },
          { type: "text", value: " or " },
          {
            type: "link",
            href: { type: "url", value: "https://example.com/terms" },
            children: [{ type: "text", value: "read the terms" }],
          },
          { type: "text", value: "." },
        ],
      ],
    });
  });

  it.each([
    ["Hello {{fistName}}", "unknownPlaceholder", 1, "fistName"],
    ["Hi\n\nHello {{firstName", "unclosedPlaceholder", 3, "{{firstName"],
    ["Hello {{ }}", "emptyPlaceholder", 1, undefined],
    ["Line one\n**bold never closed", "unclosedBold", 2, undefined],
    ["[open it]({{cardUrl}}", "brokenLink", 1, "[open it]({{cardUrl}}"],
    ["[open it](javascript:alert(1))", "unsafeLink", 1, "javascript:alert(1"],
    ["[open it](http://example.com)", "unsafeLink", 1, "http://example.com"],
    ["[open it]({{secret}})", "unknownPlaceholder", 1, "secret"],
    ["[click]({{firstName}})", "linkPlaceholder", 1, "{{firstName}}"],
    ["[a](https://e.com/{{cardUrl}})", "unsafeLink", 1, "https://e.com/{{cardUrl}}"],
    ["[a](https://x\nfoo)", "brokenLink", 1, "[a](https://x\nfoo)"],
    ['Hello <a href="x">there</a>', "html", 1, '<a href="x">'],
    ["<script>alert(1)</script>", "html", 1, "<script>"],
    ["   \n\n  ", "required", 1, undefined],
  ])("refuses %j with %s on line %i", (source, code, line, detail) => {
    const result = parseBody(source, allowed);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]).toEqual(detail === undefined ? { code, line } : { code, line, detail });
  });

  it("reports every problem, not only the first", () => {
    const result = parseBody("{{nope}}\n\n**open\n\n{{nada}}", allowed);
    expect(result.ok ? [] : result.errors.map((error) => [error.code, error.line])).toEqual([
      ["unknownPlaceholder", 1],
      ["unclosedBold", 3],
      ["unknownPlaceholder", 5],
    ]);
  });

  it("counts lines past a broken link", () => {
    const result = parseBody("[a](https://x\nfoo)\n{{bad}}", allowed);
    expect(result.ok ? [] : result.errors.map((error) => [error.code, error.line])).toEqual([
      ["brokenLink", 1],
      ["unknownPlaceholder", 3],
    ]);
  });

  it("survives adversarial drafts without deep recursion, and reports a bounded list", () => {
    const brackets = parseBody("[".repeat(9000), allowed);
    expect(brackets.ok).toBe(false);
    const braces = parseBody("{{".repeat(5000), allowed);
    expect(braces.ok ? 0 : braces.errors.length).toBeLessThanOrEqual(20);
    const nested = parseBody("[[a](https://x.example)](https://y.example)", allowed);
    expect(JSON.stringify(nested)).not.toMatch(/"type":"link"[^\]]*"type":"link"/);
    const started = performance.now();
    parseBody("<a".repeat(5000), allowed);
    expect(performance.now() - started).toBeLessThan(500);
  });

  it("keeps one-line fields to text and placeholders", () => {
    const subject = parsePlain("Welcome to **{{store}}**", allowed);
    expect(subject.ok && fillPlain(subject.value, { store: "FASHIONHUB" })).toBe("Welcome to **FASHIONHUB**");
    expect(parsePlain("Two\nlines", allowed)).toEqual({ ok: false, errors: [{ code: "lineBreak", line: 1 }] });
    expect(parsePlain("", allowed)).toEqual({ ok: false, errors: [{ code: "required", line: 1 }] });
  });
});
