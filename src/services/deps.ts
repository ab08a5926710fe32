import type { Database } from "../db";

/** What services need from the outside world. Built by routes, jobs and tests alike. */
export interface ServiceDeps {
  db: Database;
}
