import { z } from "zod";
import { recomputeRuns } from "../../../schema";
import { newId } from "../../lib/ids";
import { ANALYZER_VERSION } from "../../matching";
import type { ServiceDeps } from "../deps";
import { newGenerationStatements } from "./matcher.queries";
import { chunkDoneStatements, selectLastFinishedRun, selectRun } from "./recompute.queries";
import { selectActiveIds, selectIdsNeedingRecompute } from "./suggestions.queries";
import { rescoreSets } from "./suggestions.service";

export type RecomputeMode = "incremental" | "full";

/**
 * One queue message: a chunk of business ids of one run. `seq` numbers the run's messages so a
 * redelivered one is counted once. Versioned so a deploy can change the shape safely.
 */
export const RecomputeMessageSchema = z.strictObject({
  v: z.literal(1),
  runId: z.string().min(1).max(64),
  mode: z.enum(["incremental", "full"]),
  seq: z.number().int().min(0),
  ids: z.array(z.string().min(1).max(100)).min(1).max(1000),
  /** The shard whose database holds these businesses and the run (sharded deployments only). */
  shard: z.string().min(1).max(40).optional(),
});
export type RecomputeMessage = z.infer<typeof RecomputeMessageSchema>;

/**
 * Businesses per message (RECOMPUTE_CHUNK_SIZE overrides it). Rescoring one business (top-50 with
 * reasons in both languages) costs a few ms of CPU at 10k businesses, so 200 are ~1 s of CPU,
 * against a consumer invocation's 30 s default CPU limit (15 min wall), leaving room for the
 * matcher build when the registry changed. Writing them is one D1 batch of 3 statements per business
 * (~600), under D1's 1,000 queries per invocation (wrangler.toml delivers one message per
 * invocation). 100k businesses are then 500 messages.
 */
export const DEFAULT_CHUNK_SIZE = 200;

/** RECOMPUTE_CHUNK_SIZE as configured, or the default when unset or not a positive integer. */
export function parseChunkSize(value: string | undefined): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : DEFAULT_CHUNK_SIZE;
}

/** Queues accept at most 100 messages and 256 KB per `sendBatch`. */
const SEND_BATCH_MESSAGES = 100;
const SEND_BATCH_BYTES = 200_000;

export interface RecomputeDeps extends ServiceDeps {
  queue: Pick<Queue<RecomputeMessage>, "sendBatch">;
  chunkSize: number;
}

export interface StartRecomputeInput {
  mode: RecomputeMode;
  now: number;
  /** Who started it, recorded on the run: "officer:<id>" or "cron:<expression>". */
  trigger: string;
  /** The run's id; a province run gives each shard's run the same one. New when absent. */
  runId?: string;
}

export interface StartedRecompute {
  runId: string;
  enqueued: { messages: number; businesses: number };
}

/**
 * Starts a recompute run: picks the businesses (every active one for `full`; for `incremental`,
 * those whose stored set is missing, stale or outdated, or that neighbour a business changed since
 * the last finished run), records the run, and enqueues them in chunks. A run with nothing to do
 * is recorded as finished at once. Called by the cron and the officer endpoint alike.
 */
export async function startRecompute(
  deps: RecomputeDeps,
  input: StartRecomputeInput,
): Promise<StartedRecompute> {
  let ids: string[];
  if (input.mode === "full") {
    ids = (await selectActiveIds(deps.db).all()).map((r) => r.id);
  } else {
    const last = await selectLastFinishedRun(deps.db).get();
    const rows = await selectIdsNeedingRecompute(deps.db, {
      since: last?.startedAt ?? 0,
      analyzerVersion: ANALYZER_VERSION,
    });
    ids = rows.map((r) => r.id);
  }
  const size = Number.isInteger(deps.chunkSize) && deps.chunkSize > 0 ? deps.chunkSize : DEFAULT_CHUNK_SIZE;
  const runId = input.runId ?? newId("run_", input.now);
  const messages: RecomputeMessage[] = [];
  for (let i = 0; i < ids.length; i += size) {
    const chunk = {
      v: 1 as const,
      runId,
      mode: input.mode,
      seq: messages.length,
      ids: ids.slice(i, i + size),
    };
    messages.push(deps.shard ? { ...chunk, shard: deps.shard.name } : chunk);
  }
  // The run is recorded before its messages exist, so a consumer always finds it. A full run
  // also starts a new matcher generation: every isolate rebuilds with fresh corpus statistics
  // (IDF) before scoring its chunks, and the change log so far is dropped.
  const run = deps.db.insert(recomputeRuns).values({
    id: runId,
    mode: input.mode,
    trigger: input.trigger,
    startedAt: input.now,
    messages: messages.length,
    businesses: ids.length,
    finishedAt: messages.length === 0 ? input.now : null,
  });
  if (input.mode === "full") await deps.db.batch([run, ...newGenerationStatements(deps.db)]);
  else await run;
  for (const group of sendGroups(messages)) {
    await deps.queue.sendBatch(group.map((body) => ({ body, contentType: "json" as const })));
  }
  return { runId, enqueued: { messages: messages.length, businesses: ids.length } };
}

function* sendGroups(messages: RecomputeMessage[]): Generator<RecomputeMessage[]> {
  let group: RecomputeMessage[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = JSON.stringify(m).length;
    if (group.length > 0 && (group.length >= SEND_BATCH_MESSAGES || bytes + size > SEND_BATCH_BYTES)) {
      yield group;
      group = [];
      bytes = 0;
    }
    group.push(m);
    bytes += size;
  }
  if (group.length > 0) yield group;
}

/**
 * The shard a message names (the consumer opens that shard's database before consuming it), or
 * null when it names none: a single-database run, or a body too broken to say.
 */
export function shardOfMessage(body: unknown): string | null {
  const shard = (body as { shard?: unknown } | null)?.shard;
  return typeof shard === "string" ? shard : null;
}

export interface IncomingMessage {
  id: string;
  body: unknown;
  /** Delivery attempts so far, 1 on the first. */
  attempts: number;
}

/** What to do with one message: the job acks or retries it. */
export type MessageOutcome =
  | { id: string; action: "ack" }
  | { id: string; action: "retry"; delaySeconds: number };

export interface ConsumeDeps extends ServiceDeps {
  /** Sends a poisoned message's body to the dead-letter queue (the DLQ producer binding). */
  deadLetter(body: unknown): Promise<void>;
}

/** Backoff for a failed chunk: 10 s, 20 s, 40 s, ... capped at 5 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(300, 10 * 2 ** Math.max(0, attempts - 1));
}

/**
 * Consumes recompute messages, each on its own: rescores its businesses and replaces their stored
 * sets together with the run's progress in one D1 batch (idempotent: processing a message twice
 * writes the same rows and counts it once).
 * - A body that fails validation can never succeed: it is sent to the dead-letter queue at once
 *   and acked, so it neither loops nor burns retries.
 * - Any other failure (D1, the matcher) is retried with backoff; after `max_retries` the queue
 *   itself moves the message to the dead-letter queue.
 * Inactive or unknown ids are not failures: their stored sets are removed.
 */
export async function consumeRecompute(
  deps: ConsumeDeps,
  input: { messages: readonly IncomingMessage[]; now: number },
): Promise<MessageOutcome[]> {
  const outcomes: MessageOutcome[] = [];
  for (const message of input.messages) {
    const parsed = RecomputeMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      console.error(
        JSON.stringify({ level: "error", msg: "poisoned recompute message", messageId: message.id }),
      );
      try {
        await deps.deadLetter(message.body);
        outcomes.push({ id: message.id, action: "ack" });
      } catch {
        outcomes.push({ id: message.id, action: "retry", delaySeconds: retryDelaySeconds(message.attempts) });
      }
      continue;
    }
    const { runId, seq, ids } = parsed.data;
    try {
      await rescoreSets(deps, {
        ids,
        now: input.now,
        runId,
        alsoWrite: [...chunkDoneStatements(deps.db, { runId, seq, now: input.now })],
      });
      outcomes.push({ id: message.id, action: "ack" });
    } catch (err) {
      console.error(
        JSON.stringify({
          level: "error",
          msg: "recompute chunk failed",
          messageId: message.id,
          runId,
          seq,
          attempts: message.attempts,
          error: err instanceof Error ? err.message : String(err),
        }),
      );
      outcomes.push({ id: message.id, action: "retry", delaySeconds: retryDelaySeconds(message.attempts) });
    }
  }
  return outcomes;
}

export interface RunProgress {
  runId: string;
  mode: RecomputeMode;
  trigger: string;
  startedAt: string;
  finishedAt: string | null;
  messages: number;
  doneMessages: number;
  businesses: number;
}

/** A run's progress, or null when there is no such run. */
export async function getRecomputeRun(
  deps: ServiceDeps,
  input: { runId: string },
): Promise<RunProgress | null> {
  const run = await selectRun(deps.db, input.runId).get();
  if (!run) return null;
  return {
    runId: run.id,
    mode: run.mode,
    trigger: run.trigger,
    startedAt: new Date(run.startedAt).toISOString(),
    finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt).toISOString(),
    messages: run.messages,
    doneMessages: run.doneMessages,
    businesses: run.businesses,
  };
}
