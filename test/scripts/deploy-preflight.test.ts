import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { runPreflight } from "../../scripts/deploy-preflight";
import { type DeployInput, deployProblems, REQUIRED_SECRETS } from "../../scripts/lib/deploy-checks";

const root = path.resolve(import.meta.dirname, "../..");
const allSecrets = { names: new Set<string>([...REQUIRED_SECRETS, "SMTP_USER", "SMTP_PASSWORD"]) };

/** A configuration that is safe to deploy; each test breaks one thing. */
function safe(overrides: Partial<DeployInput> & { vars?: Record<string, unknown> } = {}): DeployInput {
  return {
    sendEmailBindings: ["EMAIL"],
    secrets: allSecrets,
    ...overrides,
    vars: {
      ENVIRONMENT: "production",
      MAIL_PROVIDER: "cloudflare",
      MAIL_FROM: "noreply@kemitraan.mojokertokota.go.id",
      PUBLIC_BASE_URL: "https://kemitraan.mojokertokota.go.id",
      ACCESS_TEAM_DOMAIN: "",
      ACCESS_AUD: "",
      ...overrides.vars,
    },
  };
}

describe("deploy preflight checks", () => {
  it("passes a configuration with a real mail provider, the secrets and an https origin", () => {
    expect(deployProblems(safe())).toEqual([]);
    expect(
      deployProblems(
        safe({
          vars: { MAIL_PROVIDER: "smtp", SMTP_HOST: "mail.mojokertokota.go.id", SMTP_PORT: "465" },
        }),
      ),
    ).toEqual([]);
  });

  it("checks a province deployment's SHARDS: a valid layout, every binding declared", () => {
    const shards = JSON.stringify([
      { name: "mojokerto", binding: "DB", regions: ["35.76", "35.16"] },
      { name: "jombang", binding: "DB_JOMBANG", regions: ["35.17"] },
    ]);
    expect(deployProblems(safe({ vars: { SHARDS: shards }, d1Bindings: ["DB", "DB_JOMBANG"] }))).toEqual([]);
    expect(deployProblems(safe({ vars: { SHARDS: shards }, d1Bindings: ["DB"] }))).toEqual([
      expect.stringMatching(/shard "jombang" names the binding DB_JOMBANG, which no \[\[d1_databases\]\]/),
    ]);
    expect(
      deployProblems(safe({ vars: { SHARDS: '[{"name":"x","binding":"DB","regions":["99.99"]}]' } })),
    ).toEqual([expect.stringMatching(/SHARDS: shard "x": unknown region code "99.99"/)]);
  });

  it("checks one shard's deployment (SHARD): its shard bound as DB, its neighbours' bindings declared", () => {
    // Jombang's deployment: Kabupaten Mojokerto borders Jombang, Surabaya does not.
    const shards = JSON.stringify([
      { name: "mojokerto", binding: "DB_MOJOKERTO", regions: ["35.76", "35.16"] },
      { name: "jombang", binding: "DB", regions: ["35.17"] },
      { name: "surabaya", binding: "DB_SURABAYA", regions: ["35.78"] },
    ]);
    const vars = { SHARDS: shards, SHARD: "jombang" };
    expect(deployProblems(safe({ vars, d1Bindings: ["DB", "DB_MOJOKERTO"] }))).toEqual([]);
    expect(deployProblems(safe({ vars, d1Bindings: ["DB"] }))).toEqual([
      expect.stringMatching(
        /shard "mojokerto" names the binding DB_MOJOKERTO, which no \[\[d1_databases\]\]/,
      ),
    ]);
    expect(deployProblems(safe({ vars: { ...vars, SHARD: "mojokerto" }, d1Bindings: ["DB"] }))).toEqual([
      expect.stringMatching(
        /shard "mojokerto" is this deployment's own \(SHARD\), so SHARDS must give it the binding DB/,
      ),
    ]);
    expect(deployProblems(safe({ vars: { ...vars, SHARD: "kediri" }, d1Bindings: ["DB"] }))).toEqual([
      expect.stringMatching(/SHARD names "kediri", which is not a shard of SHARDS/),
    ]);
    expect(deployProblems(safe({ vars: { SHARD: "jombang" }, d1Bindings: ["DB"] }))).toEqual([
      expect.stringMatching(/SHARD is "jombang" but SHARDS is empty/),
    ]);
  });

  it.each([
    ["log", "log"],
    ["unset (the log default)", ""],
  ])("refuses MAIL_PROVIDER %s, naming the real providers", (_label, provider) => {
    const problems = deployProblems(safe({ vars: { MAIL_PROVIDER: provider } }));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/log mailer.*sign-in link.*"cloudflare".*"smtp"/);
  });

  it("refuses a real provider that lacks its settings, in the Worker's own words", () => {
    expect(deployProblems(safe({ sendEmailBindings: [] }))).toEqual([
      expect.stringMatching(/send_email binding EMAIL/),
    ]);
    expect(deployProblems(safe({ vars: { MAIL_FROM: "" } }))).toEqual([expect.stringMatching(/MAIL_FROM/)]);
    expect(deployProblems(safe({ vars: { MAIL_PROVIDER: "smtp" } }))).toEqual([
      expect.stringMatching(/needs SMTP_HOST/),
    ]);
  });

  it("refuses SMTP in clear text or to this machine", () => {
    const smtp = { MAIL_PROVIDER: "smtp", SMTP_HOST: "mail.mojokertokota.go.id", SMTP_SECURITY: "none" };
    expect(deployProblems(safe({ vars: smtp }))).toEqual([expect.stringMatching(/clear text/)]);
    expect(deployProblems(safe({ vars: { ...smtp, SMTP_HOST: "127.0.0.1" } }))).toEqual([
      expect.stringMatching(/this machine/),
    ]);
  });

  it("refuses ENVIRONMENT=development, which would allow the log mailer", () => {
    expect(deployProblems(safe({ vars: { ENVIRONMENT: "development" } }))).toEqual([
      expect.stringMatching(/ENVIRONMENT is "development"/),
    ]);
  });

  it("names every missing secret, and says so when the secrets cannot be listed", () => {
    const problems = deployProblems(safe({ secrets: { names: new Set(["DIGEST_SIGNING_KEY"]) } }));
    expect(problems).toEqual([
      expect.stringMatching(/Missing secret IDEMPOTENCY_SECRET: run `wrangler secret put/),
    ]);
    expect(deployProblems(safe({ secrets: { names: new Set() } }))[0]).toMatch(
      /Missing secrets DIGEST_SIGNING_KEY, IDEMPOTENCY_SECRET/,
    );
    expect(deployProblems(safe({ secrets: { error: "not logged in" } }))).toEqual([
      expect.stringMatching(/Could not list the Worker's secrets \(not logged in\)/),
    ]);
  });

  it("refuses a secret written into [vars]", () => {
    expect(deployProblems(safe({ vars: { IDEMPOTENCY_SECRET: "oops" } }))).toEqual([
      expect.stringMatching(/IDEMPOTENCY_SECRET is in \[vars\]/),
    ]);
  });

  it.each([
    ["http://kemitraan.mojokertokota.go.id", /not https/],
    ["https://localhost:8787", /this machine/],
    ["", /not a URL/],
  ])("refuses PUBLIC_BASE_URL %j", (url, message) => {
    expect(deployProblems(safe({ vars: { PUBLIC_BASE_URL: url } }))).toEqual([
      expect.stringMatching(message),
    ]);
  });

  it("refuses half a Cloudflare Access configuration", () => {
    expect(deployProblems(safe({ vars: { ACCESS_TEAM_DOMAIN: "kota.cloudflareaccess.com" } }))).toEqual([
      expect.stringMatching(/ACCESS_TEAM_DOMAIN and ACCESS_AUD/),
    ]);
  });
});

describe("npm run deploy (scripts/deploy-preflight.ts)", () => {
  it("refuses the checked-in wrangler.toml, saying what to change", async () => {
    const result = await runPreflight({
      configPath: path.join(root, "wrangler.toml"),
      listSecrets: async () => allSecrets,
    });
    expect(result.ok).toBe(false);
    expect(result.report).toMatch(/^deploy preflight: refusing to deploy wrangler\.toml:/);
    expect(result.report).toMatch(/MAIL_PROVIDER is "log"/);
    expect(result.report).toMatch(/PUBLIC_BASE_URL "http:\/\/127\.0\.0\.1:8787" is not https/);
    expect(result.report).toMatch(/Nothing was deployed/);
  });

  it("passes the same file once a real provider and the public origin are set", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kemitraan-preflight-"));
    const toml = readFileSync(path.join(root, "wrangler.toml"), "utf8")
      .replace(/^MAIL_PROVIDER = "log"$/m, 'MAIL_PROVIDER = "cloudflare"')
      .replace(/^MAIL_FROM = ""$/m, 'MAIL_FROM = "noreply@kemitraan.mojokertokota.go.id"')
      .replace(/^PUBLIC_BASE_URL = ".*"$/m, 'PUBLIC_BASE_URL = "https://kemitraan.mojokertokota.go.id"')
      .replace(/^main = "src\/index.ts"$/m, `main = "${path.join(root, "src/index.ts")}"`);
    const configPath = path.join(dir, "wrangler.toml");
    writeFileSync(configPath, toml);
    const result = await runPreflight({ configPath, listSecrets: async () => allSecrets });
    expect(result.report).toBe("deploy preflight: the configuration is safe to deploy.\n");
    expect(result.ok).toBe(true);

    // One shard's deployment of a province, as a wrangler environment: its own vars and databases.
    const vars = {
      ENVIRONMENT: "production",
      MAIL_PROVIDER: "cloudflare",
      MAIL_FROM: "noreply@kemitraan.jombangkab.go.id",
      PUBLIC_BASE_URL: "https://kemitraan.jombangkab.go.id",
      SHARD: "jombang",
      SHARDS: JSON.stringify([
        { name: "mojokerto", binding: "DB_MOJOKERTO", regions: ["35.76", "35.16"] },
        { name: "jombang", binding: "DB", regions: ["35.17"] },
      ]),
    };
    const database = (binding: string, name: string) =>
      `[[env.jombang.d1_databases]]\nbinding = "${binding}"\ndatabase_name = "${name}"\ndatabase_id = "11111111-1111-1111-1111-111111111111"\nmigrations_dir = "schema/migrations"\n`;
    const withEnv = (databases: string) =>
      `${toml}\n[env.jombang.vars]\n${Object.entries(vars)
        .map(([k, v]) => `${k} = ${JSON.stringify(v)}`)
        .join("\n")}\n${databases}`;
    writeFileSync(configPath, withEnv(database("DB", "kemitraan-jombang")));
    const missing = await runPreflight({ configPath, env: "jombang", listSecrets: async () => allSecrets });
    expect(missing.ok).toBe(false);
    expect(missing.report).toMatch(/\(environment jombang\):/);
    expect(missing.report).toMatch(/shard "mojokerto" names the binding DB_MOJOKERTO/);
    writeFileSync(
      configPath,
      withEnv(
        `${database("DB", "kemitraan-jombang")}${database("DB_MOJOKERTO", "kemitraan-mojokerto")}` +
          // An environment inherits no bindings: the mail binding too is its own.
          '[[env.jombang.send_email]]\nname = "EMAIL"\n',
      ),
    );
    const ok = await runPreflight({ configPath, env: "jombang", listSecrets: async () => allSecrets });
    expect(ok.report).toBe("deploy preflight: the configuration is safe to deploy.\n");
  });
});
