// Benchmark baselines without bundled types; bench/nlu-bench.ts casts what it uses.
declare module "node-nlp";
