import { Body, Container, Head, Heading, Hr, Html, Img, Preview, Section, Text } from "@react-email/components";
import type { ReactNode } from "react";

export interface BrandProps {
  lang: string;
  storeName: string;
  brandColor: string;
  logoUrl?: string | null;
  preheader: string;
  footer: string;
}

/** Shared frame of every RewardFlow email: store header, content, why-you-got-this footer. */
export function EmailLayout({
  lang,
  storeName,
  brandColor,
  logoUrl,
  preheader,
  footer,
  children,
}: BrandProps & { children: ReactNode }) {
  return (
    <Html lang={lang}>
      <Head />
      <Preview>{preheader}</Preview>
      <Body
        style={{ backgroundColor: "#f4f4f5", fontFamily: "Helvetica, Arial, sans-serif", margin: 0, padding: "24px 0" }}
      >
        <Container
          style={{
            backgroundColor: "#ffffff",
            maxWidth: "560px",
            padding: "24px",
            borderTop: `6px solid ${brandColor}`,
          }}
        >
          <Section>
            {logoUrl ? (
              <Img src={logoUrl} alt={storeName} height="40" />
            ) : (
              <Heading as="h1" style={{ color: "#18181b", fontSize: "22px", margin: "0 0 8px" }}>
                {storeName}
              </Heading>
            )}
          </Section>
          {children}
          <Hr style={{ borderColor: "#e4e4e7", margin: "24px 0 12px" }} />
          <Text style={{ color: "#52525b", fontSize: "12px", lineHeight: "18px" }}>{footer}</Text>
        </Container>
      </Body>
    </Html>
  );
}

export const paragraph = { color: "#18181b", fontSize: "16px", lineHeight: "24px" } as const;
