import { timestamp } from "drizzle-orm/pg-core";

/** created_at / updated_at evaluated by PostgreSQL on every write, never once at import. */
export const timestamps = {
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdateFn(() => new Date()),
};
