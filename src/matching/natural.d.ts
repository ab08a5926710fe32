// natural's submodules ship without their own declarations; only text.ts imports them.
declare module "natural/lib/natural/stemmers/indonesian/stemmer_id.js" {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module "natural/lib/natural/stemmers/porter_stemmer.js" {
  const stemmer: { stem(token: string): string };
  export default stemmer;
}
declare module "natural/lib/natural/tokenizers/aggressive_tokenizer_id.js" {
  export default class AggressiveTokenizerId {
    tokenize(text: string): string[];
  }
}
declare module "natural/lib/natural/stemmers/indonesian/data/kata-dasar.json" {
  const words: string[];
  export default words;
}
declare module "natural/lib/natural/tfidf/tfidf.js" {
  export default class TfIdf {
    addDocument(document: string | string[], key?: unknown): void;
    tfidfs(terms: string | string[]): number[];
  }
}
