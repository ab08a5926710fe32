/**
 * Test-only fault injection for D1. `faultyD1(real, { failAt })` behaves exactly like `real` except
 * that the Nth database operation (a statement's run/all/first/raw, a batch, or an exec) throws
 * before reaching the database, with one of the messages D1 gives for a transient failure. It is
 * handed to the Worker as `env.DB` through `app.fetch(request, env, ctx)`, the one place the app
 * gets its database from: production's env comes from the runtime, so it cannot be reached there.
 */

export const TRANSIENT_D1_MESSAGES = [
  "D1_ERROR: Network connection lost.",
  "D1 DB is overloaded. Requests queued for too long.",
  "D1_ERROR: Internal error in D1 DB storage caused object to be reset.",
  "D1_ERROR: D1 DB reset because its code was updated.",
  "D1_ERROR: Cannot resolve D1 DB due to transient issue on remote node.",
] as const;

export interface FaultGate {
  /** Database operations attempted so far. */
  operations: number;
  /** Whether the fault was injected. */
  fired: boolean;
}

class Gate implements FaultGate {
  operations = 0;
  fired = false;
  constructor(
    private readonly failAt: number,
    private readonly message: string,
  ) {}

  tick(): void {
    this.operations += 1;
    if (this.operations === this.failAt) {
      this.fired = true;
      throw new Error(this.message);
    }
  }
}

class FaultyStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    private readonly gate: Gate,
  ) {}

  bind(...values: unknown[]): FaultyStatement {
    return new FaultyStatement(this.inner.bind(...values), this.gate);
  }

  async first(column?: string): Promise<unknown> {
    this.gate.tick();
    return column === undefined ? this.inner.first() : this.inner.first(column);
  }

  async run(): Promise<D1Result> {
    this.gate.tick();
    return this.inner.run();
  }

  async all(): Promise<D1Result> {
    this.gate.tick();
    return this.inner.all();
  }

  async raw(options?: { columnNames?: boolean }): Promise<unknown[]> {
    this.gate.tick();
    // The overloads of raw() differ only in the tuple's first row; pass the option through.
    return this.inner.raw(options as { columnNames: true });
  }
}

function unwrap(statement: unknown): D1PreparedStatement {
  return statement instanceof FaultyStatement ? statement.inner : (statement as D1PreparedStatement);
}

/** `real`, failing its `failAt`-th operation (1-based; 0 = never) with `message`. */
export function faultyD1(
  real: D1Database,
  opts: { failAt: number; message?: string },
): { db: D1Database; gate: FaultGate } {
  const gate = new Gate(opts.failAt, opts.message ?? TRANSIENT_D1_MESSAGES[0]);
  const db = {
    prepare: (sql: string) => new FaultyStatement(real.prepare(sql), gate),
    batch: async (statements: unknown[]) => {
      gate.tick();
      return real.batch(statements.map(unwrap));
    },
    exec: async (sql: string) => {
      gate.tick();
      return real.exec(sql);
    },
    dump: () => real.dump(),
    withSession: () => {
      throw new Error("faultyD1: sessions are not used by the app");
    },
  };
  return { db: db as unknown as D1Database, gate };
}
