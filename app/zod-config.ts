import { config } from "zod/v4/core";

// zod compiles its parsers with `new Function` unless told not to, and the CSP refuses eval (a reported
// violation on every page that validates). Imported first by root.tsx, whose module the browser
// evaluates before any route's schemas are built.
config({ jitless: true });
