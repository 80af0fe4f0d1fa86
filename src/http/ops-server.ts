import Fastify, { type FastifyInstance } from "fastify";
import type { Logger } from "../logger.js";
import { NotReadyError, type ReadyReport } from "./ready.js";

/**
 * The HTTP server of a worker process (`serve --role worker`): /healthz and /readyz only (add
 * /metrics with registerMetricsRoute). Bot processes use createHttpServer, which has the same two.
 */
export function createOpsServer(o: { ready: () => Promise<ReadyReport | void>; logger?: Logger }): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    try {
      const report = await o.ready();
      return { ok: true, ...(report ?? {}) };
    } catch (err) {
      o.logger?.warn({ err }, "readiness check failed");
      if (err instanceof NotReadyError) return reply.code(503).send({ ok: false, error: err.message, ...err.report });
      return reply.code(503).send({ ok: false, error: "not ready" });
    }
  });
  return app;
}
