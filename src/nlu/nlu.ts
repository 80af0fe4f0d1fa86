import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { CATEGORIES, isCategory, type Category } from "../domain/categories.js";
import { TextClassifier, type Example, type ModelData, type TrainOptions } from "./classifier.js";
import { INTENT_PREFIX, corpusHash, loadCorpus } from "./corpus.js";
import { hasNoContent, normalizeText } from "./text.js";

/** Conversational intents the bot recognises beside complaint categories. */
export const CONVERSATION_INTENTS = ["greeting", "help", "check_status", "cancel", "talk_to_staff", "thanks", "offtopic"] as const;
export type ConversationIntent = (typeof CONVERSATION_INTENTS)[number];

/** What the NLU makes of one message. */
export interface Understanding {
  /** A conversational intent when the message is not a complaint; null for complaints. */
  intent: ConversationIntent | null;
  /** Probability of the best conversational intent (0–1), whether or not it was taken. */
  intentScore: number;
  /** Best category and its probability among categories only (0–1). */
  category: Category;
  confidence: number;
  /** The three best categories, best first, with probabilities among categories. */
  top3: Array<{ category: Category; score: number }>;
}

/** Messages at least this long (characters) are treated as complaints even if an intent scores high. */
const LONG_MESSAGE = 30;
/** An intent is taken only above this probability; below it the message is a complaint. */
const INTENT_THRESHOLD = 0.5;

/**
 * The bot's language understanding: category and conversational intent of a message.
 * Create with {@link Nlu.load} (trains from intents/ or reuses a saved model).
 */
export class Nlu {
  constructor(private readonly clf: TextClassifier) {}

  /**
   * Loads the model saved at `modelPath` if it was trained on the same corpus, else trains
   * from `intentsDir` and saves it. Training takes about a second on this corpus.
   */
  static load(intentsDir: string, modelPath?: string, options: TrainOptions = { calibrationFolds: 5 }): Nlu {
    const corpus = loadCorpus(intentsDir);
    const hash = corpusHash(corpus);
    if (modelPath && existsSync(modelPath)) {
      try {
        const saved = JSON.parse(readFileSync(modelPath, "utf8")) as { hash: string; model: ModelData };
        if (saved.hash === hash) return new Nlu(TextClassifier.fromJSON(saved.model));
      } catch {
        // a corrupt or old file: retrain below
      }
    }
    const nlu = Nlu.train(corpus, options);
    if (modelPath) nlu.save(modelPath, hash);
    return nlu;
  }

  /** Writes the model to `modelPath` with the hash of the corpus it was trained on. */
  save(modelPath: string, hash: string): void {
    mkdirSync(dirname(modelPath), { recursive: true });
    writeFileSync(modelPath, JSON.stringify({ hash, model: this.clf.toJSON() }));
  }

  /** Trains on in-memory examples (labels: category ids and `intent:<name>`). */
  static train(examples: readonly Example[], options: TrainOptions = { calibrationFolds: 5 }): Nlu {
    return new Nlu(TextClassifier.train(examples, options));
  }

  /**
   * Understands one message. Empty and emoji-only text never reaches the model: it gets
   * intent `offtopic` with confidence 0.
   */
  understand(raw: string): Understanding {
    const text = normalizeText(raw);
    if (hasNoContent(text)) {
      return { intent: "offtopic", intentScore: 1, category: "other", confidence: 0, top3: [] };
    }
    const scored = this.clf.classify(text);
    const cats = scored.filter((s) => isCategory(s.label));
    const catMass = cats.reduce((a, s) => a + s.score, 0) || 1;
    const top3 = cats.slice(0, 3).map((s) => ({ category: s.label as Category, score: s.score / catMass }));
    const bestIntent = scored.find((s) => s.label.startsWith(INTENT_PREFIX));
    const intentScore = bestIntent?.score ?? 0;
    let intent: ConversationIntent | null = null;
    if (bestIntent && scored[0] === bestIntent && intentScore >= INTENT_THRESHOLD && text.length < LONG_MESSAGE) {
      intent = bestIntent.label.slice(INTENT_PREFIX.length) as ConversationIntent;
    }
    const first = top3[0] ?? { category: "other" as Category, score: 0 };
    return { intent, intentScore, category: first.category, confidence: first.score, top3 };
  }

  /** The underlying classifier (all labels, including intents). */
  get classifier(): TextClassifier {
    return this.clf;
  }

  /** Category ids the model can output. */
  get categories(): readonly Category[] {
    return CATEGORIES.filter((c) => this.clf.labels.includes(c));
  }
}
