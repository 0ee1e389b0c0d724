import { drizzle, type PostgresJsDatabase } from "drizzle-orm/postgres-js";
import postgres from "postgres";

export type Database = PostgresJsDatabase & { $client: postgres.Sql };
export type Transaction = Parameters<Parameters<Database["transaction"]>[0]>[0];
/** Anything that can run a query: the database or an open transaction. */
export type Executor = Database | Transaction;

export function createDatabase(url: string, options: { max?: number } = {}): Database {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    connection: { application_name: "rewardflow" },
  });
  return drizzle({ client: preparingEveryStatement(client), casing: "snake_case" });
}

export async function closeDatabase(db: Database): Promise<void> {
  await db.$client.end({ timeout: 5 });
}

type Unsafe = postgres.Sql["unsafe"];
type Scoped = (sql: postgres.Sql) => unknown;

/**
 * drizzle asks postgres.js for an unnamed statement unless a query is given a name, and postgres.js
 * then has PostgreSQL describe each one before it runs it: two round trips per statement. This
 * client prepares every statement once per connection instead (postgres.js's own default), in
 * transactions and savepoints too, so each later run is one round trip with nothing to describe (ADR 037).
 */
function preparingEveryStatement(sql: postgres.Sql): postgres.Sql {
  const unsafe: Unsafe = (query, parameters, options) => sql.unsafe(query, parameters, { ...options, prepare: true });
  const scoped =
    (run: (...args: unknown[]) => unknown) =>
    (...args: unknown[]) => {
      const scope = args.pop() as Scoped;
      return run(...args, (inner: postgres.Sql) => scope(preparingEveryStatement(inner)));
    };
  return new Proxy(sql, {
    get(target, property) {
      if (property === "unsafe") return unsafe;
      if (property === "begin" || property === "savepoint") {
        return scoped(Reflect.get(target, property) as (...args: unknown[]) => unknown);
      }
      return Reflect.get(target, property);
    },
  });
}
