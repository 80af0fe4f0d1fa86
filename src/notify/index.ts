export { OutboxRunner, type OutboxRunnerOptions, type RunReport } from "./outbox-runner.js";
export { BullmqDispatcher, jobPriority, type BullmqDispatcherOptions } from "./bullmq-dispatcher.js";
export { deliverRow, backoffMs, type Deliverer, type DeliveryOptions, type RowOutcome } from "./delivery.js";
export { renderOutbox, RENDERED_KINDS, type OutboxRow } from "./render.js";
export { takeInbox, takeWebInbox } from "./web-inbox.js";
export { runScheduler, type SchedulerOptions, type SchedulerReport } from "./scheduler.js";
