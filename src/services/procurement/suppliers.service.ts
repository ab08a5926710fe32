import type { Language } from "../../domain/language";
import { RESERVED_FOR_SMALL_UP_TO } from "../../domain/procurement";
import {
  rankCandidates,
  type SupplierFacts,
  type SupplierMatch,
  supplierCandidates,
} from "../../matching/procurement";
import type { ServiceDeps } from "../deps";
import { currentMatcher } from "../matching/matcher.cache";
import { getPackage, type PackageView } from "./packages.service";
import { selectSupplierFacts } from "./suppliers.queries";

export interface SupplierItem extends SupplierMatch {
  name: string;
  kecamatan: string | null;
  kelurahan: string | null;
  sizeClass: string;
  nib: string | null;
}

export interface PackageSuppliers {
  package: PackageView;
  /** KBLI 2020 codes the package's words ask for. */
  activities: string[];
  /** Procurement-ready (NIB and e-katalog listing), best first. */
  ready: SupplierItem[];
  /** Matched but not listed in the e-katalog (and maybe without an NIB): what each lacks. */
  oneStep: SupplierItem[];
}

/**
 * Local UMKM that could supply a package, from the same engine as partnerships
 * (src/matching/procurement.ts), ranked with procurement readiness; large businesses are left out.
 * A query on the isolate's cached matcher (the one suggestions use), not a build: then one read
 * of the candidates' facts.
 * @throws ApiError not_found for an unknown package.
 */
export async function suppliersForPackage(
  deps: ServiceDeps,
  input: { packageId: string; lang: Language; limit: number },
): Promise<PackageSuppliers> {
  const pkg = await getPackage(deps, input.packageId);
  const { matcher } = await currentMatcher(deps);
  const query = { name: pkg.name, type: pkg.type, pagu: pkg.pagu };
  const candidates = supplierCandidates(matcher, query, input.lang);
  const rows = candidates.found.size
    ? await selectSupplierFacts(deps.db, [...candidates.found.keys()]).all()
    : [];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const facts = new Map<string, SupplierFacts>(
    rows.map((r) => [r.id, { hasNib: r.nib !== null, ekatalog: r.ekatalogListed, sizeClass: r.sizeClass }]),
  );
  const ranked = rankCandidates(
    candidates,
    facts,
    query,
    { reservedUpTo: RESERVED_FOR_SMALL_UP_TO },
    input.lang,
    input.limit,
  );
  const item = (m: SupplierMatch): SupplierItem => {
    const r = byId.get(m.id);
    return {
      ...m,
      name: r?.name ?? m.id,
      kecamatan: r?.kecamatan ?? null,
      kelurahan: r?.kelurahan ?? null,
      sizeClass: r?.sizeClass ?? "",
      nib: r?.nib ?? null,
    };
  };
  return {
    package: pkg,
    activities: ranked.activities,
    ready: ranked.ready.map(item),
    oneStep: ranked.oneStep.map(item),
  };
}
