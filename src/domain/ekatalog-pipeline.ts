/**
 * The assisted e-katalog registration as a pipeline: the stages an officer records for a UMKM
 * (data/procurement/ekatalog-pipeline.json, with sources), in order. Reaching the last one
 * ("tayang") means the business is listed in the local e-katalog (docs/PROCUREMENT.md).
 */
import pipelineData from "../../data/procurement/ekatalog-pipeline.json";
import type { Language } from "./language";

export const EKATALOG_STAGES = ["diajukan", "dokumen_lengkap", "diverifikasi", "tayang"] as const;
export type EkatalogStage = (typeof EKATALOG_STAGES)[number];

/** The stage that lists the business in the e-katalog. */
export const LISTED_STAGE: EkatalogStage = "tayang";

export interface EkatalogStageInfo {
  id: EkatalogStage;
  label: Record<Language, string>;
  help: Record<Language, string>;
  source: string;
}

export const EKATALOG_STAGE_INFO: readonly EkatalogStageInfo[] = EKATALOG_STAGES.map((id) => {
  const s = pipelineData.stages.find((x) => x.id === id);
  if (!s) throw new Error(`data/procurement/ekatalog-pipeline.json lacks the stage ${id}`);
  return {
    id,
    label: { id: s.id_text, en: s.en_text },
    help: { id: s.id_help, en: s.en_help },
    source: s.source,
  };
});

/** The furthest of `stages` in pipeline order, or null when none. */
export function furthestStage(stages: Iterable<EkatalogStage>): EkatalogStage | null {
  let best = -1;
  for (const s of stages) best = Math.max(best, EKATALOG_STAGES.indexOf(s));
  return best < 0 ? null : EKATALOG_STAGES[best];
}
