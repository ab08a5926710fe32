import { spawnSync } from "node:child_process";
import { rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The layers of docs/ARCHITECTURE.md are Biome rules (biome.json: `noRestrictedImports` per folder,
 * `noImportCycles`). Each case writes a one-line probe file into a layer's folder (Biome's
 * per-folder overrides match by path, and its stdin mode prints no diagnostics), lints it and
 * removes it.
 */

const root = path.resolve(import.meta.dirname, "../..");
const biome = path.join(root, "node_modules", ".bin", "biome");

function lint(filePath: string, source: string): { ok: boolean; output: string } {
  const file = path.join(root, filePath);
  writeFileSync(file, source);
  try {
    const r = spawnSync(biome, ["lint", filePath], { cwd: root, encoding: "utf8" });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(file, { force: true });
  }
}

describe("layer rules (Biome)", { timeout: 30_000 }, () => {
  it("refuses a service that imports a route", () => {
    const r = lint(
      "src/services/audit/zz-layers-probe.ts",
      'import { serviceDeps } from "../../routes/router";\nexport const x = serviceDeps;\n',
    );
    expect(r.ok).toBe(false);
    expect(r.output).toContain("noRestrictedImports");
  });

  it("refuses a domain rule that imports a service", () => {
    const r = lint(
      "src/domain/zz-layers-probe.ts",
      'import { getBusiness } from "../services/businesses/read.service";\nexport const x = getBusiness;\n',
    );
    expect(r.ok).toBe(false);
    expect(r.output).toContain("noRestrictedImports");
  });

  it("refuses the matching core importing the database", () => {
    const r = lint(
      "src/matching/zz-layers-probe.ts",
      'import { createDb } from "../db";\nexport const x = createDb;\n',
    );
    expect(r.ok).toBe(false);
  });

  it("accepts the right way: a route importing a service", () => {
    const r = lint(
      "src/routes/zz-layers-probe.ts",
      'import { getBusiness } from "../services/businesses/read.service";\nexport const x = getBusiness;\n',
    );
    expect(r.output).not.toContain("noRestrictedImports");
    expect(r.ok).toBe(true);
  });
});
