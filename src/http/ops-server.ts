import Fastify, { type FastifyInstance } from "fastify";
import type { Logger } from "../logger.js";
import { NotReadyError } from "./ready.js";

/**
 * The HTTP server of a worker process (`serve --role worker`): /healthz and /readyz only (add
 * /metrics with registerMetricsRoute). Bot processes use createHttpServer, which has the same two.
 */
export function createOpsServer(o: { ready: () => Promise<void>; logger?: Logger }): FastifyInstance {
  const app = Fastify({ logger: false });
  app.get("/healthz", async () => ({ ok: true }));
  app.get("/readyz", async (_req, reply) => {
    try {
      await o.ready();
      return { ok: true };
    } catch (err) {
      o.logger?.warn({ err }, "readiness check failed");
      return reply.code(503).send({ ok: false, error: err instanceof NotReadyError ? err.message : "not ready" });
    }
  });
  return app;
}
