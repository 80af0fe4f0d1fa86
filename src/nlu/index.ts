export { Nlu, CONVERSATION_INTENTS, type ConversationIntent, type Understanding } from "./nlu.js";
export { TextClassifier, type Example, type Scored, type TrainOptions, type ModelData } from "./classifier.js";
export { loadCorpus, loadEvalSet, corpusHash, INTENT_PREFIX } from "./corpus.js";
export * from "./entities.js";
export { parsePlacesFile } from "./places-file.js";
export * from "./text.js";
export { evaluate, parseJsonl, type EvalReport, type ClassScores } from "./evaluate.js";
export { findPromisedDate, type PromisedDate } from "./promised-date.js";
