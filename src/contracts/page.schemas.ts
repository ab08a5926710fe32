import { z } from "@hono/zod-openapi";

/** Query fields of every keyset-paginated list: `limit` 1-100 (default 20) and the `cursor`. */
export const pageQueryFields = {
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z
    .string()
    .min(1)
    .max(200)
    .optional()
    .openapi({ description: "`nextCursor` of the previous page." }),
};
