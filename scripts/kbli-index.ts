/**
 * `npx tsx scripts/kbli-index.ts`: builds data/kbli/kbli2020-index.json, the word index the engine
 * infers a business's activities with, from the BPS KBLI 2020 titles and descriptions in
 * data/kbli/kbli2020.json (see data/kbli/SOURCES.md). The index is derived with the engine's own
 * tokenizer and stemmer, so it must be rebuilt when text.ts changes; test/unit/matching/activity.test.ts
 * checks that it is current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { buildKbliIndex, type KbliEntry } from "../src/matching/activity-index";

const entries = JSON.parse(readFileSync("data/kbli/kbli2020.json", "utf8")) as KbliEntry[];
writeFileSync("data/kbli/kbli2020-index.json", `${JSON.stringify(buildKbliIndex(entries))}\n`);
