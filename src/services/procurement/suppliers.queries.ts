import { and, inArray, ne, sql } from "drizzle-orm";
import { businesses } from "../../../schema";
import type { Database } from "../../db";
import { matchable } from "../businesses/businesses.queries";

/**
 * What the supplier list shows and readiness counts, for the engine's candidates only (active,
 * published, not large): one bound parameter however many ids (json_each).
 */
export function selectSupplierFacts(db: Database, ids: string[]) {
  return db
    .select({
      id: businesses.id,
      name: businesses.name,
      kecamatan: businesses.kecamatan,
      kelurahan: businesses.kelurahan,
      sizeClass: businesses.sizeClass,
      nib: businesses.nib,
      ekatalogListed: businesses.ekatalogListed,
    })
    .from(businesses)
    .where(
      and(
        matchable(),
        ne(businesses.sizeClass, "besar"),
        inArray(businesses.id, sql`(select value from json_each(${JSON.stringify(ids)}))`),
      ),
    );
}
