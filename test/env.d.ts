import type { D1Migration } from "@cloudflare/vitest-plugin";

declare global {
  namespace Cloudflare {
    interface Env {
      /** Test-only: the migrations in schema/migrations, read by vitest.config.ts. */
      TEST_MIGRATIONS: D1Migration[];
      /** Test-only: a send_email binding whose allowed_sender_addresses is noreply@kemitraan.test. */
      EMAIL_RESTRICTED: SendEmail;
    }
  }
}
