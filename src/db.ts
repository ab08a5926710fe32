import { type DrizzleD1Database, drizzle } from "drizzle-orm/d1";
import * as schema from "../schema";

export type Database = DrizzleD1Database<typeof schema>;

/** Drizzle over the D1 binding; camelCase fields map to snake_case columns. */
export function createDb(d1: D1Database): Database {
  return drizzle(d1, { schema, casing: "snake_case" });
}
