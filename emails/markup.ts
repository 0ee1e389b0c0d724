/**
 * The small, safe markup of editable email copy. Paragraphs are separated by an empty line, a
 * single line break stays a line break; `**bold**`, `[link text](https://… or {{placeholder}})`
 * and `{{placeholder}}` are the whole language. Nothing else is interpreted: no HTML, no
 * attributes, no styles, so an edited template can neither break the layout nor inject markup,
 * and placeholder values are always inserted as text (escaped by the renderer).
 */

export type Inline =
  | { type: "text"; value: string }
  | { type: "placeholder"; name: string }
  | { type: "break" }
  | { type: "bold"; children: Inline[] }
  | { type: "link"; href: { type: "url"; value: string } | { type: "placeholder"; name: string }; children: Inline[] };

export type Paragraph = Inline[];

export type MarkupErrorCode =
  | "required"
  | "unknownPlaceholder"
  | "unclosedPlaceholder"
  | "emptyPlaceholder"
  | "unclosedBold"
  | "emptyBold"
  | "brokenLink"
  | "unsafeLink"
  | "linkPlaceholder"
  | "html"
  | "lineBreak";

/** A problem with a template field, phrased by the caller in the admin's language. */
export interface MarkupError {
  code: MarkupErrorCode;
  /** 1-based line where the problem starts. */
  line: number;
  /** The placeholder or fragment at fault, when there is one. */
  detail?: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: MarkupError[] };

const placeholderPattern = /^[A-Za-z][A-Za-z0-9]*$/;
/** Enough to fix a draft; a pathological one does not produce thousands of messages. */
const maxErrors = 20;

/** What a field may use: placeholders in text, and (body only) placeholders that are link targets. */
export interface Vocabulary {
  placeholders: readonly string[];
  linkTargets?: readonly string[];
}

/** Parses a body into paragraphs, reporting every problem rather than the first. */
export function parseBody(source: string, vocabulary: Vocabulary): ParseResult<Paragraph[]> {
  const blocks: { text: string; line: number }[] = [];
  let current: string[] = [];
  let start = 0;
  source
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .forEach((line, index) => {
      if (line.trim() === "") {
        if (current.length > 0) blocks.push({ text: current.join("\n").trim(), line: start + 1 });
        current = [];
        return;
      }
      if (current.length === 0) start = index;
      current.push(line);
    });
  if (current.length > 0) blocks.push({ text: current.join("\n").trim(), line: start + 1 });
  if (blocks.length === 0) return { ok: false, errors: [{ code: "required", line: 1 }] };
  const errors: MarkupError[] = [];
  const paragraphs = blocks.map((block) =>
    new InlineParser(block.text, block.line, vocabulary, errors).parseUntil(null),
  );
  return errors.length > 0 ? { ok: false, errors: errors.slice(0, maxErrors) } : { ok: true, value: paragraphs };
}

/** Parses a one-line field (subject, preheader): text and placeholders only. */
export function parsePlain(source: string, vocabulary: Vocabulary): ParseResult<Inline[]> {
  if (source.trim() === "") return { ok: false, errors: [{ code: "required", line: 1 }] };
  if (/[\r\n]/.test(source.trim())) return { ok: false, errors: [{ code: "lineBreak", line: 1 }] };
  const errors: MarkupError[] = [];
  const nodes = new InlineParser(source.trim(), 1, vocabulary, errors, { plain: true }).parseUntil(null);
  return errors.length > 0 ? { ok: false, errors: errors.slice(0, maxErrors) } : { ok: true, value: nodes };
}

/** Plain-text value of one-line nodes with placeholders filled in (subjects are not HTML). */
export function fillPlain(nodes: readonly Inline[], values: Readonly<Record<string, string>>): string {
  return nodes
    .map((node) => {
      switch (node.type) {
        case "text":
          return node.value;
        case "placeholder":
          return values[node.name] ?? "";
        case "break":
          return " ";
        default:
          return fillPlain(node.children, values);
      }
    })
    .join("");
}

class InlineParser {
  private index = 0;
  private line: number;
  /** Inside a link's text: no nested links (and so no unbounded recursion). */
  private inLink = false;

  constructor(
    private readonly source: string,
    startLine: number,
    private readonly vocabulary: Vocabulary,
    private readonly errors: MarkupError[],
    private readonly options: { plain?: boolean } = {},
  ) {
    this.line = startLine;
  }

  private report(error: MarkupError) {
    if (this.errors.length < maxErrors) this.errors.push(error);
  }

  /** Reads inline nodes until `closer` (or the end); the caller consumes the closer. */
  parseUntil(closer: "**" | "]" | null): Inline[] {
    const nodes: Inline[] = [];
    let text = "";
    const flush = () => {
      if (text) nodes.push({ type: "text", value: text });
      text = "";
    };
    while (this.index < this.source.length) {
      const rest = this.source.slice(this.index);
      if (closer && rest.startsWith(closer)) {
        flush();
        return nodes;
      }
      if (rest.startsWith("{{")) {
        flush();
        const placeholder = this.readPlaceholder();
        if (placeholder) nodes.push(placeholder);
        continue;
      }
      if (rest[0] === "\n") {
        flush();
        nodes.push({ type: "break" });
        this.line += 1;
        this.index += 1;
        continue;
      }
      if (!this.options.plain && rest.startsWith("**")) {
        flush();
        nodes.push(this.readBold());
        continue;
      }
      if (!this.options.plain && !this.inLink && rest[0] === "[") {
        flush();
        const link = this.readLink();
        if (link) nodes.push(link);
        continue;
      }
      const tag = rest[0] === "<" ? /^<\/?[A-Za-z][^<>\n]{0,200}>/.exec(rest) : null;
      if (tag) this.report({ code: "html", line: this.line, detail: tag[0] });
      text += rest[0];
      this.index += 1;
    }
    flush();
    return nodes;
  }

  private readPlaceholder(): Inline | null {
    const end = this.source.indexOf("}}", this.index + 2);
    const newline = this.source.indexOf("\n", this.index);
    if (end === -1 || (newline !== -1 && newline < end)) {
      this.report({ code: "unclosedPlaceholder", line: this.line, detail: this.fragment() });
      this.index += 2;
      return null;
    }
    const name = this.source.slice(this.index + 2, end).trim();
    this.index = end + 2;
    if (name === "") {
      this.report({ code: "emptyPlaceholder", line: this.line });
      return null;
    }
    if (!placeholderPattern.test(name) || !this.vocabulary.placeholders.includes(name)) {
      this.report({ code: "unknownPlaceholder", line: this.line, detail: name });
      return null;
    }
    return { type: "placeholder", name };
  }

  private readBold(): Inline {
    const line = this.line;
    this.index += 2;
    const children = this.parseUntil("**");
    if (!this.source.startsWith("**", this.index)) {
      this.report({ code: "unclosedBold", line });
    } else {
      this.index += 2;
      if (children.length === 0) this.report({ code: "emptyBold", line });
    }
    return { type: "bold", children };
  }

  private readLink(): Inline | null {
    const line = this.line;
    const start = this.index;
    this.index += 1;
    this.inLink = true;
    const children = this.parseUntil("]");
    this.inLink = false;
    const closed = this.source.startsWith("](", this.index);
    const targetEnd = closed ? this.source.indexOf(")", this.index + 2) : -1;
    const target = targetEnd === -1 ? "" : this.source.slice(this.index + 2, targetEnd);
    if (!closed || targetEnd === -1 || children.length === 0 || target.includes("\n")) {
      this.report({ code: "brokenLink", line, detail: this.source.slice(start, start + 40) });
      if (closed && targetEnd !== -1 && !target.includes("\n")) this.index = targetEnd + 1;
      else if (this.source.startsWith("]", this.index)) this.index += 1;
      return null;
    }
    this.index = targetEnd + 1;
    const trimmed = target.trim();
    const placeholder = /^\{\{\s*([^}]*?)\s*\}\}$/.exec(trimmed);
    if (placeholder) {
      const name = placeholder[1] ?? "";
      if (!placeholderPattern.test(name) || !this.vocabulary.placeholders.includes(name)) {
        this.report({ code: "unknownPlaceholder", line, detail: name });
        return null;
      }
      // Only URLs the system makes may be link targets: a shopper's name is never an href.
      if (!this.vocabulary.linkTargets?.includes(name)) {
        this.report({ code: "linkPlaceholder", line, detail: `{{${name}}}` });
        return null;
      }
      return { type: "link", href: { type: "placeholder", name }, children };
    }
    if (!/^https:\/\/[^\s<>"{}]+$/.test(trimmed)) {
      this.report({ code: "unsafeLink", line, detail: trimmed });
      return null;
    }
    return { type: "link", href: { type: "url", value: trimmed }, children };
  }

  private fragment(): string {
    return this.source.slice(this.index, this.index + 24).split("\n")[0] ?? "";
  }
}
