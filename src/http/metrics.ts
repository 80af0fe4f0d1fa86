// The only file that imports prom-client.
import { timingSafeEqual } from "node:crypto";
import type { FastifyInstance } from "fastify";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { Middleware } from "../chat/index.js";
import type { Deliverer } from "../notify/index.js";

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Open cases by state, read from the database at each scrape. */
  casesByState?: () => Promise<Record<string, number>>;
  /** Process metrics (CPU, memory, event loop lag); default true. */
  defaults?: boolean;
  /** Each channel's state and since when, read at each scrape (ChannelHealth.snapshot). */
  channels?: () => Record<string, { state: string; since: Date }>;
}

/** The channel states the state gauge always lists (one series each, 1 for the current one). */
const CHANNEL_STATES = ["starting", "polling", "webhook", "failing", "logged_out", "stopped"] as const;

/**
 * Prometheus metrics of one process: messages handled (by channel and outcome) and their
 * latency, cases by state, queue depth, deliveries and delivery failures (by channel), classifier
 * latency, residents slowed down by the rate limit, each channel's state (polling, webhook, failing
 * since …) and chat messages that finally failed. Served at GET /metrics (see {@link registerMetricsRoute}).
 */
export class Metrics {
  readonly registry = new Registry();
  /** Inbound messages handled, by channel and outcome (ok | error | limited). */
  readonly messages = new Counter({ name: "petition_messages_total", help: "Inbound messages by channel and outcome", labelNames: ["channel", "outcome"] as const, registers: [this.registry] });
  /** Seconds from an inbound message to its replies. */
  readonly messageSeconds = new Histogram({ name: "petition_message_seconds", help: "Time to answer one inbound message", labelNames: ["channel"] as const, buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5], registers: [this.registry] });
  /** Notifications sent, by channel. */
  readonly deliveries = new Counter({ name: "petition_deliveries_total", help: "Notifications sent", labelNames: ["channel"] as const, registers: [this.registry] });
  /** Send attempts that failed (error, refused or blocked), by channel. */
  readonly deliveryFailures = new Counter({ name: "petition_delivery_failures_total", help: "Notification send attempts that failed", labelNames: ["channel"] as const, registers: [this.registry] });
  /** Messages refused by the per-resident rate limit, by channel. */
  readonly rateLimited = new Counter({ name: "petition_rate_limited_total", help: "Messages refused by the per-resident rate limit", labelNames: ["channel"] as const, registers: [this.registry] });
  /** Chat messages (replies and notifications) that finally failed or were refused, by channel and error code. */
  readonly sendFailures = new Counter({
    name: "petition_channel_send_failures_total", help: "Chat messages that finally failed, by channel and error code",
    labelNames: ["channel", "code"] as const, registers: [this.registry],
  });
  /** Seconds the classifier took for one text. */
  readonly classifierSeconds = new Histogram({ name: "petition_classifier_seconds", help: "Classifier latency per message", buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1], registers: [this.registry] });

  /** Notification jobs waiting or running (BullMQ); set once the delivery is started. */
  queueDepth: (() => Promise<number>) | undefined;

  constructor(o: MetricsOptions = {}) {
    if (o.defaults !== false) collectDefaultMetrics({ register: this.registry, prefix: "petition_" });
    const casesByState = o.casesByState;
    new Gauge({
      name: "petition_cases", help: "Cases by state", labelNames: ["state"] as const, registers: [this.registry],
      async collect() {
        if (!casesByState) return;
        this.reset();
        for (const [state, n] of Object.entries(await casesByState())) this.set({ state }, n);
      },
    });
    const channels = o.channels;
    new Gauge({
      name: "petition_channel_state", help: "1 for each channel's current state (polling, webhook, failing …)",
      labelNames: ["channel", "state"] as const, registers: [this.registry],
      collect() {
        if (!channels) return;
        this.reset();
        for (const [channel, s] of Object.entries(channels())) {
          for (const state of CHANNEL_STATES) this.set({ channel, state }, s.state === state ? 1 : 0);
        }
      },
    });
    new Gauge({
      name: "petition_channel_state_since_seconds", help: "Unix time since which each channel is in its state",
      labelNames: ["channel"] as const, registers: [this.registry],
      collect() {
        if (!channels) return;
        this.reset();
        for (const [channel, s] of Object.entries(channels())) {
          this.set({ channel }, Math.floor(s.since.getTime() / 1000));
        }
      },
    });
    const m = this;
    new Gauge({
      name: "petition_queue_depth", help: "Notifications waiting or being sent", registers: [this.registry],
      async collect() {
        if (m.queueDepth) this.set(await m.queueDepth());
      },
    });
  }

  /** The inbound pipeline's step that counts each message (by channel and outcome) and times its answer. */
  readonly measure: Middleware = async (msg, next) => {
    const stop = this.messageSeconds.startTimer({ channel: msg.channel });
    try {
      const replies = await next();
      this.messages.inc({ channel: msg.channel, outcome: "ok" });
      return replies;
    } catch (err) {
      this.messages.inc({ channel: msg.channel, outcome: "error" });
      throw err;
    } finally {
      stop();
    }
  };

  /** Wraps a channel's deliverer: counts sends and failures. */
  deliverer(channel: string, inner: Deliverer): Deliverer {
    return async (chatId, reply, audience) => {
      try {
        const r = await inner(chatId, reply, audience);
        if (r === "sent") this.deliveries.inc({ channel });
        else this.deliveryFailures.inc({ channel });
        return r;
      } catch (err) {
        this.deliveryFailures.inc({ channel });
        throw err;
      }
    };
  }

  /** Times a synchronous call (the classifier). */
  time<T>(fn: () => T): T {
    const stop = this.classifierSeconds.startTimer();
    try {
      return fn();
    } finally {
      stop();
    }
  }
}

/**
 * Adds GET /metrics (Prometheus text format) to a server. Metrics are admin data: the route
 * answers only with `Authorization: Bearer ADMIN_TOKEN` (Prometheus: `authorization:
 * { credentials: … }`), and does not exist without a token.
 */
export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics, adminToken: string | undefined): void {
  if (!adminToken) return;
  const token = Buffer.from(adminToken);
  app.get("/metrics", async (req, reply) => {
    const given = Buffer.from(String(req.headers.authorization ?? "").replace(/^Bearer\s+/i, ""));
    if (given.length !== token.length || !timingSafeEqual(given, token)) return reply.code(401).send({ error: "UNAUTHORIZED", message: "admin token required (Authorization: Bearer …)" });
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}
