import { Button, Section, Text } from "@react-email/components";
import { EmailLayout, paragraph } from "./layout";

export interface StaffEmailProps {
  lang: string;
  preheader: string;
  footer: string;
  greeting: string;
  paragraphs: string[];
  action: { url: string; label: string };
}

/** Account emails to staff (password reset, invitation): platform branding, one action button. */
export function StaffEmail({ action, paragraphs, greeting, ...frame }: StaffEmailProps) {
  return (
    <EmailLayout {...frame} storeName="RewardFlow" brandColor="#1f4e79">
      <Text style={paragraph}>{greeting}</Text>
      {paragraphs.slice(0, 1).map((text) => (
        <Text key={text} style={paragraph}>
          {text}
        </Text>
      ))}
      <Section style={{ margin: "16px 0" }}>
        <Button
          href={action.url}
          style={{
            backgroundColor: "#1f4e79",
            color: "#ffffff",
            padding: "12px 20px",
            borderRadius: "6px",
            fontWeight: "bold",
          }}
        >
          {action.label}
        </Button>
      </Section>
      {paragraphs.slice(1).map((text) => (
        <Text key={text} style={paragraph}>
          {text}
        </Text>
      ))}
    </EmailLayout>
  );
}
