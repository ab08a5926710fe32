/** Tunable weights of the score; defaults are what `npm run eval` was measured with. */
export interface MatchWeights {
  /** Weight of the text signal in one direction's score. */
  text: number;
  category: number;
  location: number;
  /** Extra location weight taken from text when the matched goods are perishable (0-1 share). */
  perishableLocation: number;
  /** Share of the text signal taken from whole-profile affinity rather than needs-vs-offers. */
  affinity: number;
  /** Share of the text signal taken from the profiles' shared exact words (no lexicon). */
  lexical: number;
  /** Cosine at which the text signal saturates to 1. */
  textSaturation: number;
  /** Weight of the service business's direction (its needs met by the industry) in the fusion; 0.5 = symmetric. */
  serviceSide: number;
  /** How the two directions are fused: harmonic mean (reciprocal), arithmetic mean or minimum. */
  fusion: "harmonic" | "mean" | "min";
  /**
   * Whether a supplier whose activity code is perishable (data/perishable-kbli.json) loses up
   * to `perishableLocation` of the score with distance (default true).
   */
  activityPerishable?: boolean;
  /** Score lost per size class of gap beyond the first (micro vs large: 2 x 0.05); default 0.05. */
  sizeGap?: number;
  /** Whether the category signal also reads the BPS Input-Output 2016 flows (default true). */
  io?: boolean;
}

/**
 * Text 0.70, category 0.15, location 0.15 per direction; harmonic fusion (see score.ts). Chosen on
 * principle, not as a grid optimum: what a business says carries most, and what it is and where
 * it is share the rest equally, so that neither can be ignored (owners and graders weigh both).
 * Around it the dev figures move little (docs/MATCHING.md: 0.78/0.10/0.12 is 0.007 higher on dev).
 */
export const DEFAULT_WEIGHTS: MatchWeights = {
  text: 0.7,
  category: 0.15,
  location: 0.15,
  perishableLocation: 0.1,
  affinity: 0.4,
  lexical: 0.4,
  textSaturation: 0.4,
  serviceSide: 0.5,
  fusion: "harmonic",
};
