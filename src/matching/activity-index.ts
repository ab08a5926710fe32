/**
 * Builds the KBLI word index (data/kbli/kbli2020-index.json) from BPS's KBLI 2020 titles and
 * descriptions: for each stem, the five-digit codes whose text uses it, weighted by TF-IDF.
 * Kept apart from activity.ts so that the Worker never loads the 1.5 MB source table.
 */
import { functionWordMask } from "./lexicon";
import { isStopword, stem, tokenize } from "./text";

export interface KbliEntry {
  code: string;
  title: string;
  description: string;
  level: number;
}

export interface KbliIndex {
  source: string;
  codes: string[];
  titles: string[];
  /** stem -> flat [code index, weight * 1000, ...], strongest first. */
  postings: Record<string, number[]>;
}

/** Words of BPS's description boilerplate ("Kelompok ini mencakup usaha ...") that say nothing about the activity. */
const BOILERPLATE = new Set(
  "kelompok golongan subgolongan kategori mencakup cakup usaha kegiatan industri termasuk lain lainnya ytdl ybdi seperti macam berbagai jenis khusus utama utamanya hasil produk barang bahan dasar sejenis sejenisnya pembuatan buat proses pengolahan olah kecuali bukan tidak untuk dengan sebagai suatu serta maupun atau yang dari dalam pada oleh atas dasar juga tersebut putih kuning merah hitam hijau biru coklat cokelat abu".split(
    " ",
  ),
);
/** A stem in more than this many codes is too common to tell activities apart. */
const MAX_DF = 120;
const MAX_POSTINGS = 40;

function stems(text: string): string[] {
  const tokens = tokenize(text);
  const skip = functionWordMask(tokens);
  return tokens
    .filter((t, i) => !skip[i] && !isStopword(t) && t.length > 2)
    .map(stem)
    .filter((s) => s.length > 2 && !BOILERPLATE.has(s) && !isStopword(s));
}

export function buildKbliIndex(entries: KbliEntry[]): KbliIndex {
  const five = entries.filter((e) => e.level === 5).sort((a, b) => (a.code < b.code ? -1 : 1));
  const bags = five.map((e) => {
    const bag = new Map<string, number>();
    // The title names the activity; the description lists its products: the title counts double.
    for (const s of stems(e.title)) bag.set(s, (bag.get(s) ?? 0) + 2);
    for (const s of stems(e.description)) bag.set(s, (bag.get(s) ?? 0) + 1);
    return bag;
  });
  const df = new Map<string, number>();
  for (const bag of bags) for (const s of bag.keys()) df.set(s, (df.get(s) ?? 0) + 1);
  const n = five.length;
  const lists = new Map<string, Array<[number, number]>>();
  bags.forEach((bag, i) => {
    let norm = 0;
    const w = new Map<string, number>();
    for (const [s, tf] of bag) {
      const d = df.get(s) ?? 1;
      if (d > MAX_DF) continue;
      const x = (1 + Math.log(tf)) * Math.log(n / d);
      w.set(s, x);
      norm += x * x;
    }
    norm = Math.sqrt(norm) || 1;
    for (const [s, x] of w) {
      const list = lists.get(s) ?? [];
      list.push([i, x / norm]);
      lists.set(s, list);
    }
  });
  const postings: Record<string, number[]> = {};
  for (const s of [...lists.keys()].sort()) {
    const list = (lists.get(s) ?? []).sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, MAX_POSTINGS);
    postings[s] = list.flatMap(([i, x]) => [i, Math.round(x * 1000)]);
  }
  return {
    source:
      "Derived by scripts/kbli-index.ts from data/kbli/kbli2020.json (BPS, KBLI 2020, Peraturan BPS No. 2/2020: titles and descriptions of the 1,789 five-digit codes); see data/kbli/SOURCES.md",
    codes: five.map((e) => e.code),
    titles: five.map((e) => e.title),
    postings,
  };
}
