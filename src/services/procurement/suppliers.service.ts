import type { Language } from "../../domain/language";
import { RESERVED_FOR_SMALL_UP_TO } from "../../domain/procurement";
import { rankSuppliers, type SupplierFacts, type SupplierMatch } from "../../matching/procurement";
import { selectActiveForMatching } from "../businesses/businesses.queries";
import type { ServiceDeps } from "../deps";
import { matcherInput } from "../matching/matcher.cache";
import { getPackage, type PackageView } from "./packages.service";

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
 * @throws ApiError not_found for an unknown package.
 */
export async function suppliersForPackage(
  deps: ServiceDeps,
  input: { packageId: string; lang: Language; limit: number },
): Promise<PackageSuppliers> {
  const pkg = await getPackage(deps, input.packageId);
  const rows = await selectActiveForMatching(deps.db).all();
  const facts = new Map<string, SupplierFacts>();
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const r of rows)
    if (r.sizeClass !== "besar")
      facts.set(r.id, { hasNib: r.nib !== null, ekatalog: r.ekatalogListed, sizeClass: r.sizeClass });
  const ranked = rankSuppliers(
    rows.map(matcherInput),
    facts,
    { name: pkg.name, type: pkg.type, pagu: pkg.pagu },
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
