import { readdirSync, readFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { createHash } from "node:crypto";
import type { Example } from "./classifier.js";

/** Label prefix of conversational intents in the training corpus (e.g. `intent:greeting`). */
export const INTENT_PREFIX = "intent:";

/**
 * Loads the training corpus from `dir` (normally intents/): `<locale>/categories/<id>.txt`
 * and `<locale>/conversation/<intent>.txt`, one example per line; `#` lines and blank lines
 * are skipped. Conversation intents get the label `intent:<name>`.
 * @throws Error when the folder has no examples.
 */
export function loadCorpus(dir: string): Example[] {
  const out: Example[] = [];
  for (const locale of readdirSync(dir, { withFileTypes: true })) {
    if (!locale.isDirectory() || locale.name === "eval") continue;
    for (const [sub, prefix] of [["categories", ""], ["conversation", INTENT_PREFIX]] as const) {
      const folder = join(dir, locale.name, sub);
      if (!existsSync(folder)) continue;
      for (const file of readdirSync(folder).filter((f) => f.endsWith(".txt")).sort()) {
        const label = prefix + file.slice(0, -4);
        for (const line of readFileSync(join(folder, file), "utf8").split("\n")) {
          const text = line.trim();
          if (text && !text.startsWith("#")) out.push({ text, label });
        }
      }
    }
  }
  if (out.length === 0) throw new Error(`no training examples found under ${dir}`);
  return out;
}

/**
 * Loads the held-out evaluation set `<dir>/eval/<locale>.tsv` (`label<TAB>text` per line) for
 * every locale present.
 */
export function loadEvalSet(dir: string): Array<Example & { locale: string }> {
  const folder = join(dir, "eval");
  if (!existsSync(folder)) return [];
  const out: Array<Example & { locale: string }> = [];
  for (const file of readdirSync(folder).filter((f) => f.endsWith(".tsv")).sort()) {
    const locale = file.slice(0, -4);
    for (const line of readFileSync(join(folder, file), "utf8").split("\n")) {
      const tab = line.indexOf("\t");
      if (tab <= 0 || line.startsWith("#")) continue;
      out.push({ label: line.slice(0, tab).trim(), text: line.slice(tab + 1).trim(), locale });
    }
  }
  return out;
}

/** A short hash of the corpus, to know when a saved model is stale. */
export function corpusHash(examples: readonly Example[]): string {
  const h = createHash("sha256");
  for (const e of examples) h.update(`${e.label}\t${e.text}\n`);
  return h.digest("hex").slice(0, 16);
}
