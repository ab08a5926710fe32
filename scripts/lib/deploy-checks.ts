import { deploymentShard, parseShardLayout, shardsNeeded } from "../../src/domain/shards";
import { isLocalDevelopment, isLocalHost, type MailEnv, mailConfig } from "../../src/email/mail-config";

/**
 * The checks `npm run deploy` runs before anything reaches Cloudflare (scripts/deploy-preflight.ts):
 * a configuration that would run fail-open in production is refused, with what to change. The mail
 * settings are judged by the Worker's own `mailConfig`, so the deploy and the Worker cannot
 * disagree about what is safe.
 */

/** Secrets the Worker cannot run safely without (`wrangler secret put NAME`). */
export const REQUIRED_SECRETS = ["DIGEST_SIGNING_KEY", "IDEMPOTENCY_SECRET"] as const;

/** Values that must never sit in wrangler.toml's [vars] (committed, shown in the dashboard). */
const SECRET_NAMES = [...REQUIRED_SECRETS, "SMTP_PASSWORD"];

export interface DeployInput {
  /** `[vars]` as wrangler reads them. */
  vars: Record<string, unknown>;
  /** Names of the `[[send_email]]` bindings. */
  sendEmailBindings: readonly string[];
  /** Names of the `[[d1_databases]]` bindings (the SHARDS check; absent = not checked). */
  d1Bindings?: readonly string[];
  /** The deployed Worker's secret names, or why they could not be listed. */
  secrets: { names: ReadonlySet<string> } | { error: string };
}

function text(value: unknown): string | undefined {
  return typeof value === "string" ? value : value === undefined ? undefined : String(value);
}

function mailProblems(input: DeployInput, secretNames: ReadonlySet<string>): string[] {
  const vars = input.vars;
  const provider = text(vars.MAIL_PROVIDER)?.trim() || "log";
  if (provider === "log") {
    return [
      `MAIL_PROVIDER is "${text(vars.MAIL_PROVIDER) ?? ""}" (the log mailer): it writes every sign-in link to the ` +
        'Worker log, and the deployed Worker refuses it. Set MAIL_PROVIDER to "cloudflare" (with MAIL_FROM and ' +
        'the [[send_email]] binding EMAIL) or "smtp" (with SMTP_HOST and MAIL_FROM) in wrangler.toml; see docs/EMAIL.md.',
    ];
  }
  // What the Worker will see, secrets standing in by name: mailConfig then says what is missing.
  const present = (name: string) => (secretNames.has(name) ? "(secret)" : text(vars[name]));
  const env: MailEnv = {
    ENVIRONMENT: "production",
    MAIL_PROVIDER: provider,
    MAIL_FROM: text(vars.MAIL_FROM),
    MAIL_FROM_NAME: text(vars.MAIL_FROM_NAME),
    SMTP_HOST: text(vars.SMTP_HOST),
    SMTP_PORT: text(vars.SMTP_PORT),
    SMTP_SECURITY: text(vars.SMTP_SECURITY),
    SMTP_USER: present("SMTP_USER"),
    SMTP_PASSWORD: present("SMTP_PASSWORD"),
    ...(input.sendEmailBindings.includes("EMAIL")
      ? { EMAIL: { send: async () => ({ messageId: "preflight" }) } as unknown as SendEmail }
      : {}),
  };
  try {
    const config = mailConfig(env);
    if (config.provider === "smtp" && isLocalHost(config.smtp.host)) {
      return [`SMTP_HOST is ${config.smtp.host}, this machine: a deployed Worker cannot reach it.`];
    }
    return [];
  } catch (err) {
    return [(err as Error).message];
  }
}

function baseUrlProblems(vars: Record<string, unknown>): string[] {
  const raw = text(vars.PUBLIC_BASE_URL)?.trim() ?? "";
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return [`PUBLIC_BASE_URL "${raw}" is not a URL: set the Worker's public https origin (links in emails).`];
  }
  if (url.protocol !== "https:") {
    return [
      `PUBLIC_BASE_URL "${raw}" is not https: sign-in and unsubscribe links would travel in clear text ` +
        "(and one-click unsubscribe needs https). Set the public https origin.",
    ];
  }
  if (isLocalHost(url.hostname)) {
    return [`PUBLIC_BASE_URL "${raw}" points at this machine: set the Worker's public origin.`];
  }
  return [];
}

/**
 * A SHARDS layout (and SHARD, in one shard's deployment) the Worker would refuse at its first
 * request, or one naming a binding wrangler.toml does not declare: every shard's, or in a shard's
 * deployment its own (DB) and its neighbours'.
 */
function shardProblems(
  shards: string | undefined,
  shard: string | undefined,
  d1Bindings: readonly string[] | undefined,
): string[] {
  let layout: ReturnType<typeof parseShardLayout>;
  let own: ReturnType<typeof deploymentShard>;
  try {
    layout = parseShardLayout(shards);
    own = deploymentShard(layout, shard);
  } catch (err) {
    return [`${(err as Error).message} (docs/OPERATIONS.md: "Shards").`];
  }
  if (!layout || !d1Bindings) return [];
  return shardsNeeded(layout, own)
    .filter((s) => !d1Bindings.includes(s.binding))
    .map(
      (s) =>
        `SHARDS: shard "${s.name}" names the binding ${s.binding}, which no [[d1_databases]] entry of wrangler.toml ` +
        "declares: add it (and migrate it) or fix the name.",
    );
}

/** Every reason not to deploy this configuration; empty when it is safe to. */
export function deployProblems(input: DeployInput): string[] {
  const problems: string[] = [];
  const vars = input.vars;
  if (isLocalDevelopment({ ENVIRONMENT: text(vars.ENVIRONMENT) })) {
    problems.push(
      'ENVIRONMENT is "development" in wrangler.toml: that setting belongs in .dev.vars only (it allows the ' +
        'log mailer). Set ENVIRONMENT = "production".',
    );
  }
  for (const name of SECRET_NAMES) {
    if (text(vars[name])) {
      problems.push(
        `${name} is in [vars] of wrangler.toml, where anyone with the repository or the dashboard reads it: ` +
          `remove it and run \`wrangler secret put ${name}\`.`,
      );
    }
  }
  const secretNames = "names" in input.secrets ? input.secrets.names : new Set<string>();
  if ("error" in input.secrets) {
    problems.push(
      `Could not list the Worker's secrets (${input.secrets.error}). Log in (\`wrangler login\` or ` +
        `CLOUDFLARE_API_TOKEN) and set ${REQUIRED_SECRETS.join(" and ")} with \`wrangler secret put NAME\` ` +
        "(that creates the Worker on a first deploy).",
    );
  } else {
    const missing = REQUIRED_SECRETS.filter((name) => !secretNames.has(name));
    if (missing.length > 0) {
      problems.push(
        `Missing secret${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: run \`wrangler secret put NAME\` ` +
          "for each with a long random value, e.g. `openssl rand -base64 32` (.dev.vars.example says what each is for).",
      );
    }
  }
  problems.push(...mailProblems(input, secretNames));
  problems.push(...baseUrlProblems(vars));
  problems.push(...shardProblems(text(vars.SHARDS), text(vars.SHARD), input.d1Bindings));
  const team = text(vars.ACCESS_TEAM_DOMAIN)?.trim();
  const aud = text(vars.ACCESS_AUD)?.trim();
  if (Boolean(team) !== Boolean(aud)) {
    problems.push(
      "Only one of ACCESS_TEAM_DOMAIN and ACCESS_AUD is set: Cloudflare Access sign-in needs both (or neither).",
    );
  }
  return problems;
}
