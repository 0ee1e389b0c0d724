import { Button, Img, Link, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";
import { EmailLayout, type FrameProps, paragraph } from "./layout";
import type { Inline, Paragraph } from "./markup";

export interface CardBlockProps {
  numberLine: string;
  url: string;
  openLabel: string;
  qr?: { src: string; alt: string; hint: string; href: string };
  wallet?: { url: string; label: string };
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
  return (
    <EmailLayout {...frame}>
      {paragraphs.map((nodes, index) => (
        // Paragraphs have no identity beyond their position in the template.
        // biome-ignore lint/suspicious/noArrayIndexKey: static content
        <Text key={index} style={paragraph}>
          {renderInline(nodes, values, frame.brand.color)}
        </Text>
      ))}
      {action ? <ActionButton {...action} color={frame.brand.color} /> : null}
      {card ? <CardBlock {...card} color={frame.brand.color} /> : null}
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

function ActionButton({ url, label, color }: { url: string; label: string; color: string }) {
  return (
    <Section style={{ margin: "16px 0" }}>
      <Button href={url} style={buttonStyle(color)}>
        {label}
      </Button>
    </Section>
  );
}

function CardBlock({ numberLine, url, openLabel, qr, wallet, color }: CardBlockProps & { color: string }) {
  return (
    <Section style={{ textAlign: "center", margin: "16px 0" }}>
      {qr ? (
        <>
          <Link href={qr.href}>
            <Img src={qr.src} alt={qr.alt} width="200" height="200" style={{ margin: "0 auto" }} />
          </Link>
          <Text style={{ ...paragraph, fontSize: "14px" }}>{qr.hint}</Text>
        </>
      ) : null}
      <Text style={{ ...paragraph, fontWeight: "bold", letterSpacing: "1px" }}>{numberLine}</Text>
      <Button href={url} style={buttonStyle(color)}>
        {openLabel}
      </Button>
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

function buttonStyle(color: string) {
  return { backgroundColor: color, color: "#ffffff", padding: "12px 20px", borderRadius: "6px", fontWeight: "bold" };
}
