import { Body } from "@react-email/body";
import { Container } from "@react-email/container";
import { Head } from "@react-email/head";
import { Heading } from "@react-email/heading";
import { Hr } from "@react-email/hr";
import { Html } from "@react-email/html";
import { Img } from "@react-email/img";
import { Link } from "@react-email/link";
import { Preview } from "@react-email/preview";
import { Section } from "@react-email/section";
import { Text } from "@react-email/text";
import type { ReactNode } from "react";

export interface Brand {
  name: string;
  color: string;
  logoUrl?: string | null;
}

export interface FrameProps {
  lang: string;
  /** The document's title: the subject (HTML requires one; some clients show it for the web view). */
  title: string;
  brand: Brand;
  preheader: string;
  /** Why the recipient got this email. */
  footer: string;
  unsubscribe?: { url: string; label: string };
}

/** Shared frame of every RewardFlow email: brand header, content, why-you-got-this footer. */
export function EmailLayout({
  lang,
  title,
  brand,
  preheader,
  footer,
  unsubscribe,
  children,
}: FrameProps & { children: ReactNode }) {
  return (
    <Html lang={lang}>
      <Head>
        <title>{title}</title>
      </Head>
      <Preview>{preheader}</Preview>
      <Body
        style={{ backgroundColor: "#f4f4f5", fontFamily: "Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" }}
      >
        <Container
          style={{
            backgroundColor: "#ffffff",
            maxWidth: "560px",
            padding: "24px",
            borderTop: `6px solid ${brand.color}`,
          }}
        >
          <Section>
            {brand.logoUrl ? (
              <Img src={brand.logoUrl} alt={brand.name} height="40" />
            ) : (
              <Heading as="h1" style={{ color: "#18181b", fontSize: "22px", margin: "0 0 8px" }}>
                {brand.name}
              </Heading>
            )}
          </Section>
          {children}
          <Hr style={{ borderColor: "#e4e4e7", margin: "24px 0 12px" }} />
          <Text style={{ color: "#52525b", fontSize: "12px", lineHeight: "18px" }}>
            {footer}
            {unsubscribe ? (
              <>
                {" "}
                <Link href={unsubscribe.url} style={{ color: "#52525b", textDecoration: "underline" }}>
                  {unsubscribe.label}
                </Link>
              </>
            ) : null}
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

export const paragraph = { color: "#18181b", fontSize: "16px", lineHeight: "24px" } as const;
