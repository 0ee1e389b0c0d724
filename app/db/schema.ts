export * from "~/modules/audit/schema";
export * from "~/modules/auth/schema";
export * from "~/modules/loyalty/schema";
export * from "~/modules/messaging/schema";
export * from "~/modules/ops/schema";
export * from "~/modules/settings/schema";
export * from "~/modules/tenancy/schema";
export * from "~/modules/terminal/schema";
