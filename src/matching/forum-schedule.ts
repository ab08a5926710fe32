/**
 * A forum's agenda: short one-to-one meetings between a service business and a small industry, in
 * numbered time slots at numbered tables, for one business-matching forum (Sosialisasi Kemitraan
 * Usaha).
 *
 * **Rules** (never broken): one meeting per participant per slot; a slot holds at most `tables`
 * meetings; both sides are available in the slot; service <-> industry pairs only; each participant
 * takes at most `maxMeetings`; a declined or already-partnered pair meets only when asked (a
 * request). Officers' locked meetings are kept as given (slot and table).
 *
 * **Priority**, in order: locked meetings, mutual requests, one-sided requests the other side
 * accepted, then the engine's pairs. Requests are placed before any engine pair can take their slots,
 * and with repair (a blocking meeting is moved to another slot), so every feasible mutual request
 * is scheduled.
 *
 * **Algorithm.** After the requests:
 * 1. *Floor*: in rounds k = 1..floor, every attendee with fewer than k meetings (fewest options
 *    first) gets its best feasible engine pair; when that partner is full, the partner gives up its
 *    weakest engine meeting if the other end of it keeps at least `floor` meetings.
 * 2. *Fill*: engine pairs by descending score, wherever both ends have room and share a free slot
 *    (moving one blocking meeting when needed).
 * 3. *Augment*: as the weekly b-matching (assign.ts) does, an unscheduled pair whose end is full
 *    replaces that end's weakest engine meeting when the swap raises the total score (the freed end
 *    is then refilled with its best other pair), until no swap helps or `maxRounds`.
 * The greedy baseline (`greedyForumSchedule`) is the same priority with first-fit placement and no
 * floor, repair or swaps; `scheduleForum` reports both totals.
 *
 * Deterministic (ties by id and slot order); pure (no I/O, no clock): the caller passes scores from
 * the engine.
 */

export type ForumSide = "service" | "industry";

export interface ForumParticipant {
  id: string;
  side: ForumSide;
  /** Slot ids the participant can meet in (a subset of the forum's slots). */
  available: readonly string[];
  /** Most meetings this participant takes (>= 0). */
  maxMeetings: number;
}

export interface ForumPairScore {
  serviceId: string;
  industryId: string;
  /** The engine's reciprocal score in [0, 1]. */
  score: number;
}

/** A request between two participants: both asked ("mutual"), or one asked and the other accepted. */
export interface ForumRequestPair {
  a: string;
  b: string;
  kind: "mutual" | "accepted";
}

export interface ForumLock {
  serviceId: string;
  industryId: string;
  slot: string;
  /** Table number, 1..tables. */
  table: number;
}

export type MeetingReason = "locked" | "mutual" | "accepted" | "engine";

export interface ScheduledMeeting {
  slot: string;
  table: number;
  serviceId: string;
  industryId: string;
  /** The engine's score for the pair (0 when it had none). */
  score: number;
  reason: MeetingReason;
}

export interface ForumScheduleInput {
  participants: readonly ForumParticipant[];
  /** Meeting slot ids in time order (breaks are not slots). */
  slots: readonly string[];
  /** Tables in the hall (>= 0). */
  tables: number;
  pairs: readonly ForumPairScore[];
  requests?: readonly ForumRequestPair[];
  /** Pairs that meet only when asked: declined ("tidak berminat") or already partners. */
  excluded?: ReadonlyArray<{ a: string; b: string }>;
  locked?: readonly ForumLock[];
  config?: Partial<ForumScheduleConfig>;
}

export interface ForumScheduleConfig {
  /** Meetings every attendee should get where the matches allow. */
  floor: number;
  /** Engine pairs below this score are never scheduled. */
  minScore: number;
  /** Rounds of augmenting swaps at most. */
  maxRounds: number;
}

export const DEFAULT_FORUM_CONFIG: ForumScheduleConfig = { floor: 3, minScore: 0, maxRounds: 10 };

export interface ForumScheduleResult {
  /** Sorted by slot order, then table. */
  meetings: ScheduledMeeting[];
  /** Sum of the meetings' engine scores. */
  totalScore: number;
  /** The same sum for the greedy baseline on this input. */
  greedyTotal: number;
  /** Requests (and locks) that could not be scheduled, with why. */
  unscheduled: Array<{ a: string; b: string; kind: MeetingReason; why: UnscheduledWhy }>;
  swaps: number;
}

export type UnscheduledWhy =
  /** Same side, unknown participant, or a lock that collides with an earlier lock. */
  | "invalid"
  /** One side already has `maxMeetings`. */
  | "full"
  /** No shared free slot with a free table, even after moving a meeting. */
  | "no_slot";

interface Edge {
  s: number;
  i: number;
  score: number;
  reason: MeetingReason;
}

interface Meeting {
  edge: Edge;
  slot: number;
  /** Fixed table for locks; -1 until tables are numbered at the end. */
  table: number;
  live: boolean;
}

function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

/** Indexes and lookups shared by the schedule and its baselines. */
interface Prepared {
  ids: string[];
  side: ForumSide[];
  cap: number[];
  /** avail[p * S + s] = 1 when participant p can meet in slot s. */
  avail: Uint8Array;
  S: number;
  tables: number;
  slotIndex: Map<string, number>;
  index: Map<string, number>;
  locks: Array<{ edge: Edge; slot: number; table: number }>;
  requests: Edge[];
  /** Engine pairs, not excluded and not requested, best first. */
  engine: Edge[];
  /** Engine edges by participant, best first. */
  incident: Edge[][];
  scoreOf: Map<string, number>;
  invalid: ForumScheduleResult["unscheduled"];
  config: ForumScheduleConfig;
}

function prepare(input: ForumScheduleInput): Prepared {
  const config = { ...DEFAULT_FORUM_CONFIG, ...input.config };
  const ids: string[] = [];
  const side: ForumSide[] = [];
  const cap: number[] = [];
  const index = new Map<string, number>();
  for (const p of input.participants) {
    if (index.has(p.id)) continue;
    index.set(p.id, ids.length);
    ids.push(p.id);
    side.push(p.side);
  }
  const slotIndex = new Map<string, number>();
  for (const s of input.slots) if (!slotIndex.has(s)) slotIndex.set(s, slotIndex.size);
  const S = slotIndex.size;
  const avail = new Uint8Array(ids.length * S);
  for (const p of input.participants) {
    const pi = index.get(p.id) as number;
    if (ids[pi] !== p.id || cap[pi] !== undefined) continue;
    let n = 0;
    for (const s of p.available) {
      const si = slotIndex.get(s);
      if (si !== undefined && !avail[pi * S + si]) {
        avail[pi * S + si] = 1;
        n += 1;
      }
    }
    cap[pi] = Math.max(0, Math.min(n, Math.floor(p.maxMeetings)));
  }
  const scoreOf = new Map<string, number>();
  for (const p of input.pairs) {
    if (!Number.isFinite(p.score)) continue;
    const k = pairKey(p.serviceId, p.industryId);
    scoreOf.set(k, Math.max(scoreOf.get(k) ?? Number.NEGATIVE_INFINITY, p.score));
  }
  const invalid: ForumScheduleResult["unscheduled"] = [];
  /** The edge of two participants of opposite sides, or null. */
  const edgeOf = (a: string, b: string, reason: MeetingReason): Edge | null => {
    const ai = index.get(a);
    const bi = index.get(b);
    if (ai === undefined || bi === undefined || side[ai] === side[bi]) return null;
    const [s, i] = side[ai] === "service" ? [ai, bi] : [bi, ai];
    return { s, i, score: Math.max(0, scoreOf.get(pairKey(a, b)) ?? 0), reason };
  };
  const taken = new Set<string>();
  const locks: Prepared["locks"] = [];
  for (const l of input.locked ?? []) {
    const e = edgeOf(l.serviceId, l.industryId, "locked");
    const slot = slotIndex.get(l.slot);
    const k = pairKey(l.serviceId, l.industryId);
    if (!e || slot === undefined || taken.has(k) || !(l.table >= 1 && l.table <= input.tables)) {
      invalid.push({ a: l.serviceId, b: l.industryId, kind: "locked", why: "invalid" });
      continue;
    }
    taken.add(k);
    locks.push({ edge: e, slot, table: Math.floor(l.table) });
  }
  const requests: Edge[] = [];
  const byKind = [...(input.requests ?? [])].sort(
    (x, y) =>
      (x.kind === y.kind ? 0 : x.kind === "mutual" ? -1 : 1) ||
      compareStr(pairKey(x.a, x.b), pairKey(y.a, y.b)),
  );
  const requestEdges: Edge[] = [];
  for (const r of byKind) {
    const k = pairKey(r.a, r.b);
    if (taken.has(k)) continue;
    const e = edgeOf(r.a, r.b, r.kind);
    if (!e) {
      invalid.push({ a: r.a, b: r.b, kind: r.kind, why: "invalid" });
      continue;
    }
    taken.add(k);
    requestEdges.push(e);
  }
  // Mutual first, then accepted; inside each, the better pair first.
  for (const kind of ["mutual", "accepted"] as const) {
    requests.push(...requestEdges.filter((e) => e.reason === kind).sort((x, y) => compareEdges(x, y, ids)));
  }
  const excluded = new Set((input.excluded ?? []).map((x) => pairKey(x.a, x.b)));
  const engine: Edge[] = [];
  for (const p of input.pairs) {
    const k = pairKey(p.serviceId, p.industryId);
    if (taken.has(k) || excluded.has(k)) continue;
    const e = edgeOf(p.serviceId, p.industryId, "engine");
    if (!e || e.score < config.minScore || e.score <= 0) continue;
    taken.add(k);
    engine.push(e);
  }
  engine.sort((x, y) => compareEdges(x, y, ids));
  const incident: Edge[][] = ids.map(() => []);
  for (const e of engine) {
    incident[e.s].push(e);
    incident[e.i].push(e);
  }
  return {
    ids,
    side,
    cap,
    avail,
    S,
    tables: Math.max(0, Math.floor(input.tables)),
    slotIndex,
    index,
    locks,
    requests,
    engine,
    incident,
    scoreOf,
    invalid,
    config,
  };
}

function compareStr(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareEdges(x: Edge, y: Edge, ids: string[]): number {
  return y.score - x.score || compareStr(ids[x.s], ids[y.s]) || compareStr(ids[x.i], ids[y.i]);
}

/** The mutable schedule: who sits where in which slot. */
class Board {
  readonly busy: Int32Array;
  readonly load: Int32Array;
  readonly degree: Int32Array;
  readonly meetings: Meeting[] = [];
  /** Per participant, the live meetings' indexes. */
  readonly of: Set<number>[];
  /** Edges with a live meeting. */
  readonly scheduled = new Set<Edge>();
  /** Changes since `begin()`, for `rollback()`: [meeting, slot, 1 = put | 0 = removed]. */
  private journal: Array<[number, number, 0 | 1]> | null = null;
  constructor(readonly p: Prepared) {
    this.busy = new Int32Array(p.ids.length * p.S).fill(-1);
    this.load = new Int32Array(p.S);
    this.degree = new Int32Array(p.ids.length);
    this.of = p.ids.map(() => new Set<number>());
  }

  free(x: number, s: number): boolean {
    return this.p.avail[x * this.p.S + s] === 1 && this.busy[x * this.p.S + s] === -1;
  }

  room(x: number): boolean {
    return this.degree[x] < this.p.cap[x];
  }

  /** The first slot both ends of `e` can use with a free table, least loaded first; -1 if none. */
  slotFor(e: Edge, firstFit = false): number {
    let best = -1;
    for (let s = 0; s < this.p.S; s++) {
      if (this.load[s] >= this.p.tables || !this.free(e.s, s) || !this.free(e.i, s)) continue;
      if (firstFit) return s;
      if (best < 0 || this.load[s] < this.load[best]) best = s;
    }
    return best;
  }

  add(e: Edge, s: number, table = -1): number {
    const m = this.meetings.length;
    this.meetings.push({ edge: e, slot: s, table, live: true });
    this.put(m, s);
    return m;
  }

  private put(m: number, s: number): void {
    const mt = this.meetings[m];
    mt.slot = s;
    mt.live = true;
    const S = this.p.S;
    this.busy[mt.edge.s * S + s] = m;
    this.busy[mt.edge.i * S + s] = m;
    this.load[s] += 1;
    this.degree[mt.edge.s] += 1;
    this.degree[mt.edge.i] += 1;
    this.of[mt.edge.s].add(m);
    this.of[mt.edge.i].add(m);
    this.scheduled.add(mt.edge);
    this.journal?.push([m, s, 1]);
  }

  remove(m: number): void {
    const mt = this.meetings[m];
    if (!mt.live) return;
    const S = this.p.S;
    this.busy[mt.edge.s * S + mt.slot] = -1;
    this.busy[mt.edge.i * S + mt.slot] = -1;
    this.load[mt.slot] -= 1;
    this.degree[mt.edge.s] -= 1;
    this.degree[mt.edge.i] -= 1;
    this.of[mt.edge.s].delete(m);
    this.of[mt.edge.i].delete(m);
    this.scheduled.delete(mt.edge);
    mt.live = false;
    this.journal?.push([m, mt.slot, 0]);
  }

  /** Starts recording changes (one transaction at a time). */
  begin(): void {
    this.journal = [];
  }

  commit(): void {
    this.journal = null;
  }

  /** Undoes every change since `begin()`. */
  rollback(): void {
    const j = this.journal ?? [];
    this.journal = null;
    for (let k = j.length - 1; k >= 0; k--) {
      const [m, s, put] = j[k] as [number, number, 0 | 1];
      if (put) this.remove(m);
      else this.put(m, s);
    }
  }

  restore(m: number, s: number): void {
    this.put(m, s);
  }

  move(m: number, s: number): void {
    this.remove(m);
    this.put(m, s);
  }

  /**
   * Places `e`, moving at most the (unlocked) meetings that block its two ends in one slot to
   * other slots. Returns the meeting index or -1 (the board unchanged).
   */
  placeWithRepair(e: Edge): number {
    const direct = this.slotFor(e);
    if (direct >= 0) return this.add(e, direct);
    const S = this.p.S;
    for (let s = 0; s < S; s++) {
      if (!this.p.avail[e.s * S + s] || !this.p.avail[e.i * S + s]) continue;
      const blockers = [this.busy[e.s * S + s], this.busy[e.i * S + s]].filter(
        (m, k, a) => m >= 0 && a.indexOf(m) === k,
      );
      if (blockers.some((m) => this.meetings[m].edge.reason === "locked")) continue;
      // A full slot frees a table only when a blocker leaves it.
      if (this.load[s] >= this.p.tables && blockers.length === 0) continue;
      const moved: Array<[number, number]> = [];
      let ok = true;
      for (const m of blockers) {
        this.remove(m);
      }
      for (const m of blockers) {
        const to = this.slotForExcept(this.meetings[m].edge, s);
        if (to < 0) {
          ok = false;
          break;
        }
        this.restore(m, to);
        moved.push([m, to]);
      }
      if (ok && this.free(e.s, s) && this.free(e.i, s) && this.load[s] < this.p.tables) return this.add(e, s);
      for (const [m] of moved) this.remove(m);
      for (const m of blockers) this.restore(m, s);
    }
    return -1;
  }

  private slotForExcept(e: Edge, not: number): number {
    let best = -1;
    for (let s = 0; s < this.p.S; s++) {
      if (s === not || this.load[s] >= this.p.tables || !this.free(e.s, s) || !this.free(e.i, s)) continue;
      if (best < 0 || this.load[s] < this.load[best]) best = s;
    }
    return best;
  }

  total(): number {
    let t = 0;
    for (const m of this.meetings) if (m.live) t += m.edge.score;
    return t;
  }

  /** The participant's weakest live engine meeting, or -1. */
  weakestEngine(x: number, keepFloorOf: number, floor: number): number {
    let worst = -1;
    for (const m of this.of[x]) {
      const e = this.meetings[m].edge;
      if (e.reason !== "engine") continue;
      const other = e.s === x ? e.i : e.s;
      if (other === keepFloorOf) continue;
      if (this.degree[other] <= floor) continue;
      if (worst < 0 || e.score < this.meetings[worst].edge.score) worst = m;
    }
    return worst;
  }
}

/** Lays the locks and requests down; returns the requests that did not fit. */
function placeFixed(board: Board, repair: boolean): ForumScheduleResult["unscheduled"] {
  const p = board.p;
  const out: ForumScheduleResult["unscheduled"] = [];
  const tablesTaken = new Set<number>();
  for (const l of p.locks) {
    const S = p.S;
    const table = l.slot * (p.tables + 1) + l.table;
    if (
      tablesTaken.has(table) ||
      board.busy[l.edge.s * S + l.slot] >= 0 ||
      board.busy[l.edge.i * S + l.slot] >= 0
    ) {
      out.push({ a: p.ids[l.edge.s], b: p.ids[l.edge.i], kind: "locked", why: "invalid" });
      continue;
    }
    // A lock is the officer's decision: it stands outside the stated availability and maximum.
    tablesTaken.add(table);
    board.add(l.edge, l.slot, l.table);
  }
  for (const e of p.requests) {
    const why: UnscheduledWhy | null =
      !board.room(e.s) || !board.room(e.i)
        ? "full"
        : (repair
              ? board.placeWithRepair(e)
              : board.slotFor(e, true) >= 0
                ? board.add(e, board.slotFor(e, true))
                : -1) < 0
          ? "no_slot"
          : null;
    if (why) out.push({ a: p.ids[e.s], b: p.ids[e.i], kind: e.reason, why });
  }
  return out;
}

/** Numbers the tables: locks keep theirs, the rest take the lowest free numbers in id order. */
function numberTables(board: Board): ScheduledMeeting[] {
  const p = board.p;
  const bySlot: Meeting[][] = Array.from({ length: p.S }, () => []);
  for (const m of board.meetings) if (m.live) bySlot[m.slot].push(m);
  const slotIds = [...p.slotIndex.keys()];
  const out: ScheduledMeeting[] = [];
  for (let s = 0; s < p.S; s++) {
    const used = new Set<number>();
    for (const m of bySlot[s]) if (m.table > 0) used.add(m.table);
    const rest = bySlot[s]
      .filter((m) => m.table <= 0)
      .sort(
        (x, y) =>
          compareStr(p.ids[x.edge.s], p.ids[y.edge.s]) || compareStr(p.ids[x.edge.i], p.ids[y.edge.i]),
      );
    let next = 1;
    for (const m of rest) {
      while (used.has(next)) next += 1;
      m.table = next;
      used.add(next);
    }
    for (const m of bySlot[s].sort((x, y) => x.table - y.table)) {
      out.push({
        slot: slotIds[s],
        table: m.table,
        serviceId: p.ids[m.edge.s],
        industryId: p.ids[m.edge.i],
        score: m.edge.score,
        reason: m.edge.reason,
      });
    }
  }
  return out;
}

function greedyBoard(p: Prepared, order: readonly Edge[]): Board {
  const board = new Board(p);
  placeFixed(board, false);
  for (const e of order) {
    if (!board.room(e.s) || !board.room(e.i)) continue;
    const s = board.slotFor(e, true);
    if (s >= 0) board.add(e, s);
  }
  return board;
}

/**
 * The baseline: locks, then requests, then engine pairs by descending score, each in the first slot
 * both can use (no floor, no moves, no swaps).
 */
export function greedyForumSchedule(input: ForumScheduleInput): {
  meetings: ScheduledMeeting[];
  totalScore: number;
} {
  const p = prepare(input);
  const board = greedyBoard(p, p.engine);
  return { meetings: numberTables(board), totalScore: board.total() };
}

/** Another baseline: the same first-fit placement with the engine pairs in a seeded random order. */
export function randomForumSchedule(
  input: ForumScheduleInput,
  seed: number,
): { meetings: ScheduledMeeting[]; totalScore: number } {
  const p = prepare(input);
  const order = [...p.engine];
  let t = seed >>> 0;
  const rnd = () => {
    t = (t + 0x6d2b79f5) >>> 0;
    let r = Math.imul(t ^ (t >>> 15), 1 | t);
    r ^= r + Math.imul(r ^ (r >>> 7), 61 | r);
    return ((r ^ (r >>> 14)) >>> 0) / 4294967296;
  };
  for (let k = order.length - 1; k > 0; k--) {
    const j = Math.floor(rnd() * (k + 1));
    [order[k], order[j]] = [order[j], order[k]];
  }
  const board = greedyBoard(p, order);
  return { meetings: numberTables(board), totalScore: board.total() };
}

/**
 * Schedules a forum (see the module comment for the rules, priority and algorithm).
 *
 * @example
 * scheduleForum({
 *   participants: [
 *     { id: "s1", side: "service", available: ["09:00", "09:20"], maxMeetings: 2 },
 *     { id: "i1", side: "industry", available: ["09:00"], maxMeetings: 2 },
 *     { id: "i2", side: "industry", available: ["09:00", "09:20"], maxMeetings: 2 },
 *   ],
 *   slots: ["09:00", "09:20"],
 *   tables: 1,
 *   pairs: [{ serviceId: "s1", industryId: "i2", score: 0.9 }, { serviceId: "s1", industryId: "i1", score: 0.5 }],
 * }).meetings;
 * // s1-i1 at 09:00 and s1-i2 at 09:20 (table 1 each): first-fit greedy puts s1-i2 at 09:00 and
 * // leaves i1 without a meeting
 */
export function scheduleForum(input: ForumScheduleInput): ForumScheduleResult {
  const p = prepare(input);
  const greedyTotal = greedyBoard(p, p.engine).total();
  const board = new Board(p);
  const unscheduled = [...p.invalid, ...placeFixed(board, true)];
  const floor = Math.max(0, Math.floor(p.config.floor));
  const n = p.ids.length;
  const scheduled = board.scheduled;
  const place = (e: Edge) => board.placeWithRepair(e);

  /** Schedules the best unscheduled pair of `x` that fits (not `not`); returns its score or 0. */
  const bestFree = (x: number, not?: Edge): number => {
    if (!board.room(x)) return 0;
    for (const e of p.incident[x]) {
      if (scheduled.has(e) || e === not || !board.room(e.s === x ? e.i : e.s)) continue;
      if (place(e) >= 0) return e.score;
    }
    return 0;
  };

  // Fill, best pairs first.
  const fill = () => {
    let added = 0;
    for (const e of p.engine) {
      if (!scheduled.has(e) && board.room(e.s) && board.room(e.i) && place(e) >= 0) added += 1;
    }
    return added;
  };

  // Augment, each change kept only when it raises the total.
  let swaps = 0;
  const augment = () => {
    for (let round = 0; round < p.config.maxRounds; round++) {
      let improved = false;
      // An unscheduled pair replaces the weakest engine meeting of each full end.
      for (const e of p.engine) {
        if (scheduled.has(e)) continue;
        board.begin();
        let gain = e.score;
        let ok = true;
        const freed: number[] = [];
        for (const x of [e.s, e.i]) {
          if (board.room(x)) continue;
          const w = board.weakestEngine(x, x === e.s ? e.i : e.s, floor);
          if (w < 0 || board.meetings[w].edge.score >= e.score) {
            ok = false;
            break;
          }
          const we = board.meetings[w].edge;
          gain -= we.score;
          freed.push(we.s === x ? we.i : we.s);
          board.remove(w);
        }
        ok = ok && place(e) >= 0;
        // The ends that lost a meeting take their best free pair instead.
        for (const y of ok ? freed : []) gain += bestFree(y);
        if (ok && gain > 1e-12) {
          board.commit();
          swaps += 1;
          improved = true;
        } else board.rollback();
      }
      // A weak meeting gives way to the best free pair at each of its ends.
      const live = board.meetings
        .map((m, k) => [m, k] as const)
        .filter(([m]) => m.live && m.edge.reason === "engine")
        .sort(([x], [y]) => x.edge.score - y.edge.score);
      for (const [m, k] of live) {
        if (!m.live) continue;
        const { s: ms, i: mi } = m.edge;
        if (board.degree[ms] <= floor || board.degree[mi] <= floor) continue;
        board.begin();
        board.remove(k);
        let gain = -m.edge.score;
        for (const x of [ms, mi]) gain += bestFree(x, m.edge);
        if (gain > 1e-12) {
          board.commit();
          swaps += 1;
          improved = true;
        } else board.rollback();
      }
      if (fill() > 0) improved = true;
      if (!improved) break;
    }
  };

  // Floor: the least connected first, each round adding one meeting where matches allow.
  const options = p.incident.map((l) => l.length);
  const order = [...Array(n).keys()].sort(
    (x, y) => options[x] - options[y] || compareStr(p.ids[x], p.ids[y]),
  );
  const liftFloor = () => {
    for (let k = 1; k <= floor; k++) {
      for (const x of order) {
        if (board.degree[x] >= k || !board.room(x)) continue;
        if (bestFree(x) > 0) continue;
        // Every partner is full: the one whose weakest meeting costs least gives that meeting up
        // (its other end keeps at least `floor`).
        const tries: Array<{ e: Edge; w: number; net: number }> = [];
        for (const e of p.incident[x]) {
          if (scheduled.has(e)) continue;
          const other = e.s === x ? e.i : e.s;
          const w = board.room(other) ? -1 : board.weakestEngine(other, x, floor);
          if (w >= 0) tries.push({ e, w, net: e.score - board.meetings[w].edge.score });
        }
        tries.sort((u, v) => v.net - u.net);
        for (const t of tries) {
          board.begin();
          board.remove(t.w);
          if (place(t.e) >= 0) {
            board.commit();
            break;
          }
          board.rollback();
        }
      }
    }
  };

  fill();
  augment();
  liftFloor();
  augment();

  const meetings = numberTables(board);
  return { meetings, totalScore: board.total(), greedyTotal, unscheduled, swaps };
}
