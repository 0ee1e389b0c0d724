import { defineConfig } from "drizzle-kit";

export default defineConfig({
  dialect: "postgresql",
  // Every module keeps its tables in its own schema.ts.
  schema: "./app/modules/*/schema.ts",
  out: "./drizzle",
  casing: "snake_case",
});
