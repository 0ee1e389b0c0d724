import { Button, Img, Link, Section, Text } from "@react-email/components";
import { type BrandProps, EmailLayout, paragraph } from "./layout";

interface CardBlockProps {
  cardNumberLine: string;
  cardUrl: string;
  openCard: string;
  brandColor: string;
  qr?: { src: string; alt: string; hint: string; href: string };
  wallet?: { url: string; label: string };
}

function CardBlock({ cardNumberLine, cardUrl, openCard, brandColor, qr, wallet }: CardBlockProps) {
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
      <Text style={{ ...paragraph, fontWeight: "bold", letterSpacing: "1px" }}>{cardNumberLine}</Text>
      <Button
        href={cardUrl}
        style={{
          backgroundColor: brandColor,
          color: "#ffffff",
          padding: "12px 20px",
          borderRadius: "6px",
          fontWeight: "bold",
        }}
      >
        {openCard}
      </Button>
      {wallet ? (
        <Text style={paragraph}>
          <Link href={wallet.url}>{wallet.label}</Link>
        </Text>
      ) : null}
    </Section>
  );
}

export interface LoyaltyEmailProps extends BrandProps, CardBlockProps {
  greeting: string;
  paragraphs: string[];
}

/** Enrollment, welcome bonus and card link emails share one shape: greeting, copy, the card. */
export function LoyaltyEmail(props: LoyaltyEmailProps) {
  const { greeting, paragraphs, ...rest } = props;
  return (
    <EmailLayout {...rest}>
      <Text style={paragraph}>{greeting}</Text>
      {paragraphs.map((text) => (
        <Text key={text} style={paragraph}>
          {text}
        </Text>
      ))}
      <CardBlock {...rest} />
    </EmailLayout>
  );
}
