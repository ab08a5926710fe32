import type { Database } from "../../db";
import type { Period } from "../../domain/calendar";
import type { ServiceDeps } from "../deps";
import { type Dashboard, getDashboard, withShares } from "./dashboard.service";

/** The headline figures of one shard's dashboard (no lists, no names: a province overview). */
export interface ShardFigures {
  signups: Dashboard["signups"];
  requestsSent: number;
  /** Partnerships started in the period. */
  started: number;
  umkmPartnered: Dashboard["umkmPartnered"];
  requests: Dashboard["requests"];
  umkm: Dashboard["umkm"];
  procurement: { ready: number; oneStepAway: number };
}

/** A shard of the layout as this Worker reaches it: its database, or null when not bound here. */
export interface ProvinceShard {
  name: string;
  /** The D1 binding that holds it (`layoutShards`). */
  binding: string;
  regions: string[];
  db: Database | null;
}

export interface ProvinceDashboard {
  period: Dashboard["period"];
  /** Every shard of the layout, in its order; `figures` null for one this Worker does not bind. */
  shards: Array<{ shard: string; regions: string[]; figures: ShardFigures | null }>;
  /** Sums over the shards with figures (shares and rates from the sums). */
  totals: ShardFigures;
  /** Whether every shard of the layout is in the totals. */
  complete: boolean;
}

function headline(d: Dashboard): ShardFigures {
  return {
    signups: d.signups,
    requestsSent: d.requestsSent,
    started: d.started.total,
    umkmPartnered: d.umkmPartnered,
    requests: d.requests,
    umkm: d.umkm,
    procurement: { ready: d.procurement.ready, oneStepAway: d.procurement.oneStepAway },
  };
}

function sum(figures: ShardFigures[]): ShardFigures {
  const add = (pick: (f: ShardFigures) => number) => figures.reduce((n, f) => n + pick(f), 0);
  return {
    signups: { registered: add((f) => f.signups.registered), published: add((f) => f.signups.published) },
    requestsSent: add((f) => f.requestsSent),
    started: add((f) => f.started),
    umkmPartnered: withShares.umkmPartnered(
      add((f) => f.umkmPartnered.registered),
      add((f) => f.umkmPartnered.withPartner),
    ),
    requests: withShares.requests(
      add((f) => f.requests.accepted),
      add((f) => f.requests.declinedOrExpired),
    ),
    umkm: withShares.umkm(
      add((f) => f.umkm.registered),
      add((f) => f.umkm.withActivePartner),
    ),
    procurement: {
      ready: add((f) => f.procurement.ready),
      oneStepAway: add((f) => f.procurement.oneStepAway),
    },
  };
}

/**
 * A province's overview for its office: each shard's dashboard headline for the period (the same
 * figures and rules as `getDashboard`, in that shard's database) and the province's totals. A
 * Worker over every shard (`SHARDS` without `SHARD`) binds them all; one shard's deployment binds
 * itself and its neighbours, so the others come back without figures and `complete` is false.
 */
export async function getProvinceDashboard(
  deps: ServiceDeps,
  input: {
    shards: ProvinceShard[];
    period: Period;
    /** A dashboard the caller computes anyway for the same period (its own `DB`): not computed twice. */
    known?: { binding: string; dashboard: Promise<Dashboard> };
  },
): Promise<ProvinceDashboard> {
  const dashboardOf = (s: ProvinceShard, db: Database) =>
    s.binding === input.known?.binding
      ? input.known.dashboard
      : getDashboard({ ...deps, db, shard: undefined }, { period: input.period });
  const shards = await Promise.all(
    input.shards.map(async (s) => ({
      shard: s.name,
      regions: s.regions,
      figures: s.db ? headline(await dashboardOf(s, s.db)) : null,
    })),
  );
  const counted = shards.flatMap((s) => (s.figures ? [s.figures] : []));
  return {
    period: input.period,
    shards,
    totals: sum(counted),
    complete: counted.length === shards.length,
  };
}
