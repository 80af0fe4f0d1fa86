export { OutboxRunner, type Deliverer, type OutboxRunnerOptions, type RunReport } from "./outbox-runner.js";
export { renderOutbox, RENDERED_KINDS, type OutboxRow } from "./render.js";
export { takeWebInbox } from "./web-inbox.js";
export { runScheduler, type SchedulerOptions, type SchedulerReport } from "./scheduler.js";
