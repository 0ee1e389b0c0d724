import { Button } from "@react-email/button";
import { Img } from "@react-email/img";
import { Link } from "@react-email/link";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { CSSProperties, ReactNode } from "react";
import { brandPalette } from "~/branding/contrast";
import { escapeHtml } from "~/html";
import { EmailLayout, type FrameProps, paragraph } from "./layout";
import type { Inline, Paragraph } from "./markup";

export interface CardBlockProps {
  numberLine: string;
  url: string;
  openLabel: string;
  qr?: { src: string; alt: string; hint: string; href: string };
  wallet?: { url: string; label: string };
  /** Stamps programs: the card's stamps, drawn as a grid, and the same in words ("7 of 10 stamps"). */
  stamps?: { collected: number; perCard: number; label: string };
}

export interface DetailsTableProps {
  heading: string;
  columns: [string, string, string];
  rows: { label: string; value: string; source: string }[];
}

export interface TransactionalEmailProps extends FrameProps {
  paragraphs: Paragraph[];
  values: Readonly<Record<string, string>>;
  card?: CardBlockProps;
  action?: { url: string; label: string };
  details?: DetailsTableProps;
}

/** Every RewardFlow email: the admin-edited copy, then what the layout adds for its kind. */
export function TransactionalEmail({ paragraphs, values, card, action, details, ...frame }: TransactionalEmailProps) {
  // Links and buttons in the brand's colour, darkened where needed so their text keeps AA contrast.
  const palette = brandPalette(frame.brand.color);
  return (
    <EmailLayout {...frame}>
      {paragraphs.map((nodes, index) => (
        // Paragraphs have no identity beyond their position in the template.
        // biome-ignore lint/suspicious/noArrayIndexKey: static content
        <Text key={index} style={paragraph}>
          {renderInline(nodes, values, palette.accentText)}
        </Text>
      ))}
      {action ? <ActionButton {...action} palette={palette} /> : null}
      {card ? <CardBlock {...card} palette={palette} /> : null}
      {details ? <DetailsTable {...details} /> : null}
    </EmailLayout>
  );
}

/** Placeholder values become text nodes: React escapes them, so a value can never become markup. */
function renderInline(nodes: readonly Inline[], values: Readonly<Record<string, string>>, color: string): ReactNode[] {
  return nodes.map((node, index) => {
    switch (node.type) {
      case "text":
        return node.value;
      case "placeholder":
        return values[node.name] ?? "";
      case "break":
        // biome-ignore lint/suspicious/noArrayIndexKey: static content
        return <br key={index} />;
      case "bold":
        // biome-ignore lint/suspicious/noArrayIndexKey: static content
        return <strong key={index}>{renderInline(node.children, values, color)}</strong>;
      case "link": {
        const href = node.href.type === "url" ? node.href.value : (values[node.href.name] ?? "");
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: static content
          <Link key={index} href={href} style={{ color, textDecoration: "underline" }}>
            {renderInline(node.children, values, color)}
          </Link>
        );
      }
      default:
        return null;
    }
  });
}

type Palette = ReturnType<typeof brandPalette>;

function ActionButton({ url, label, palette }: { url: string; label: string; palette: Palette }) {
  return (
    <Section style={{ margin: "16px 0" }}>
      <EmailButton url={url} label={label} palette={palette} />
    </Section>
  );
}

function CardBlock({ numberLine, url, openLabel, qr, wallet, stamps, palette }: CardBlockProps & { palette: Palette }) {
  return (
    <Section style={{ textAlign: "center", margin: "16px 0" }}>
      {stamps ? <StampGrid {...stamps} palette={palette} /> : null}
      {qr ? (
        <>
          <Link href={qr.href}>
            <Img src={qr.src} alt={qr.alt} width="200" height="200" style={{ margin: "0 auto" }} />
          </Link>
          <Text style={{ ...paragraph, fontSize: "14px" }}>{qr.hint}</Text>
        </>
      ) : null}
      <Text style={{ ...paragraph, fontWeight: "bold", letterSpacing: "1px" }}>{numberLine}</Text>
      <EmailButton url={url} label={openLabel} palette={palette} />
      {wallet ? (
        <Text style={paragraph}>
          <Link href={wallet.url}>{wallet.label}</Link>
        </Text>
      ) : null}
    </Section>
  );
}

function DetailsTable({ heading, columns, rows }: DetailsTableProps) {
  const cell = { borderBottom: "1px solid #e4e4e7", padding: "6px 8px", fontSize: "14px", textAlign: "left" } as const;
  return (
    <Section style={{ margin: "16px 0" }}>
      <Text style={{ ...paragraph, fontWeight: "bold" }}>{heading}</Text>
      <table style={{ borderCollapse: "collapse", width: "100%" }}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col" style={cell}>
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.label}>
              <th scope="row" style={cell}>
                {row.label}
              </th>
              <td style={cell}>{row.value}</td>
              <td style={cell}>{row.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Section>
  );
}

const buttonHeight = 44;

/**
 * A rounded button everywhere, Outlook for Windows included: Word, its renderer, ignores
 * `border-radius` and link padding, so it gets the same button drawn in VML (the "bulletproof
 * button") and skips the HTML one (`mso-hide`). Other clients never read the conditional comment.
 */
function EmailButton({ url, label, palette }: { url: string; label: string; palette: Palette }) {
  // Word sizes VML shapes itself: wide enough for the label at 16 px bold, as wide as the HTML button.
  const width = Math.min(560, Math.max(160, Math.round(label.length * 10 + 48)));
  const vml =
    `<!--[if mso]><v:roundrect xmlns:v="urn:schemas-microsoft-com:vml" xmlns:w="urn:schemas-microsoft-com:office:word" href="${escapeHtml(url)}" ` +
    `style="height:${buttonHeight}px;v-text-anchor:middle;width:${width}px;" arcsize="14%" stroke="f" fillcolor="${escapeHtml(palette.accentText)}">` +
    `<w:anchorlock/><center style="color:${escapeHtml(palette.onAccentText)};font-family:Helvetica,Arial,sans-serif;font-size:16px;font-weight:bold;">${escapeHtml(label)}</center>` +
    "</v:roundrect><![endif]-->";
  return (
    <>
      {/* Outlook's conditional comment: React cannot write comments, every value in it is escaped. */}
      <div dangerouslySetInnerHTML={{ __html: vml }} />
      <Button href={url} style={{ ...buttonStyle(palette), msoHide: "all" } as CSSProperties}>
        {label}
      </Button>
    </>
  );
}

function buttonStyle(palette: Palette) {
  return {
    backgroundColor: palette.accentText,
    color: palette.onAccentText,
    padding: "12px 20px",
    borderRadius: "6px",
    fontWeight: "bold",
    lineHeight: "20px",
  };
}

/** As on the card page: a longer card shows its count in words only. */
const maxDrawnStamps = 30;

/** Rows of five stamps as table cells (what every mail client lays out); the label says the same in words. */
function StampGrid({
  collected,
  perCard,
  label,
  palette,
}: NonNullable<CardBlockProps["stamps"]> & { palette: Palette }) {
  const rows = Array.from({ length: Math.ceil(perCard / 5) }, (_, row) =>
    Array.from({ length: Math.min(5, perCard - row * 5) }, (_, column) => row * 5 + column < collected),
  );
  const cell = { width: "28px", height: "28px", borderRadius: "14px", fontSize: "16px", lineHeight: "28px" } as const;
  return (
    <Section style={{ margin: "0 0 16px" }}>
      {perCard > maxDrawnStamps ? null : (
        <table role="presentation" cellPadding={0} cellSpacing={6} style={{ margin: "0 auto" }} aria-hidden="true">
          <tbody>
            {rows.map((stampsOfRow, row) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: rows of a grid
              <tr key={row}>
                {stampsOfRow.map((filled, column) => (
                  <td
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells of a grid
                    key={column}
                    align="center"
                    style={
                      filled
                        ? {
                            ...cell,
                            backgroundColor: palette.accentText,
                            color: palette.onAccentText,
                            border: `2px solid ${palette.accentText}`,
                          }
                        : { ...cell, backgroundColor: "#ffffff", border: "2px dashed #71717a" }
                    }
                  >
                    {filled ? "✓" : "\u00a0"}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Text style={{ ...paragraph, fontWeight: "bold", margin: "8px 0 0" }}>{label}</Text>
    </Section>
  );
}
