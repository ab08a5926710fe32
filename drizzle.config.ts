import { defineConfig } from "drizzle-kit";

// drizzle-kit only *writes* SQL here; wrangler applies it (`npm run db:migrate:local|remote`)
// and the workerd tests apply the same files. Never `drizzle-kit push`/`migrate` against D1.
export default defineConfig({
  dialect: "sqlite",
  schema: "./schema/*.ts",
  out: "./schema/migrations",
  casing: "snake_case",
});
