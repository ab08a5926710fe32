import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLog, partnerships } from "../../../schema";
import { createDb, insertIf, insertSelect } from "../../../src/db";

const db = createDb(env.DB);

async function auditRowsOf(entityId: string) {
  return (
    await env.DB.prepare(
      `select at, actor_kind, actor_id, entity_type, entity_id, action, from_state, to_state, details
       from audit_log where entity_id = ? order by id`,
    )
      .bind(entityId)
      .all()
  ).results;
}

describe("insertIf", () => {
  it("writes each field into its own column, by name, when the condition holds", async () => {
    await insertIf(
      db,
      auditLog,
      {
        // Deliberately not in the table's order.
        details: { why: "test" },
        toState: "active",
        fromState: "requested",
        action: "approve",
        entityId: "ptn_insert_if_1",
        entityType: "partnership",
        actorId: "off_1",
        actorKind: "officer",
        at: 1_700_000_000_000,
      },
      sql`1 = 1`,
    );
    expect(await auditRowsOf("ptn_insert_if_1")).toEqual([
      {
        at: 1_700_000_000_000,
        actor_kind: "officer",
        actor_id: "off_1",
        entity_type: "partnership",
        entity_id: "ptn_insert_if_1",
        action: "approve",
        from_state: "requested",
        to_state: "active",
        details: '{"why":"test"}',
      },
    ]);
  });

  it("writes nothing when the condition does not hold as the statement runs", async () => {
    const row = {
      at: 1,
      actorKind: "system",
      actorId: "test",
      entityType: "partnership",
      entityId: "ptn_insert_if_2",
      action: "expire",
      fromState: null,
      toState: null,
    } as const;
    await db.batch([
      insertIf(
        db,
        auditLog,
        row,
        sql`exists (select 1 from ${auditLog} where entity_id = 'ptn_insert_if_2')`,
      ),
      insertIf(
        db,
        auditLog,
        { ...row, action: "second" },
        sql`not exists (select 1 from ${auditLog} where entity_id = 'ptn_insert_if_2')`,
      ),
    ]);
    expect((await auditRowsOf("ptn_insert_if_2")).map((r) => r.action)).toEqual(["second"]);
  });

  it("gives a field left out its column default, and encodes JSON columns as the table says", async () => {
    await insertIf(
      db,
      partnerships,
      {
        id: "ptn_insert_if_3",
        requesterId: "biz_a",
        partnerId: "biz_b",
        origin: "officer",
        pattern: "rantai_pasok",
        terms: { volume: "500 pasang" },
        status: "active",
        revision: "rev",
        createdBy: "officer:off_1",
        createdAt: 1,
        updatedAt: 1,
      },
      sql`1`,
    );
    const row = await env.DB.prepare(
      "select message, terms, expires_at, outcome from partnerships where id = ?",
    )
      .bind("ptn_insert_if_3")
      .first();
    expect(row).toEqual({ message: "", terms: '{"volume":"500 pasang"}', expires_at: null, outcome: null });
  });
});

describe("insertSelect", () => {
  it("writes one row per source row, mixing bound values and SQL read from the source", async () => {
    const ids = JSON.stringify(["ptn_insert_select_1", "ptn_insert_select_2"]);
    await insertSelect(
      db,
      auditLog,
      {
        at: 5,
        actorKind: "system",
        actorId: "test",
        entityType: "partnership",
        entityId: sql`j.value`,
        action: "propose",
        fromState: null,
        toState: "draft",
        details: sql`json_object('n', j.key)`,
      },
      sql`from json_each(${ids}) j`,
    );
    const rows = await Promise.all(["ptn_insert_select_1", "ptn_insert_select_2"].map(auditRowsOf));
    expect(rows.map((r) => r.map((x) => [x.entity_id, x.action, x.to_state, x.details]))).toEqual([
      [["ptn_insert_select_1", "propose", "draft", '{"n":0}']],
      [["ptn_insert_select_2", "propose", "draft", '{"n":1}']],
    ]);
  });
});
