import { boot, simulationApp, type App } from "../../src/main.js";
import { PROJECT_ROOT } from "../../src/db/database.js";
import { loadConfig } from "../../src/config.js";
import { simulate, type SimulationReport } from "../../src/cli/simulate.js";
import { join } from "node:path";
import { freshSqliteUrl } from "../helpers.js";

/**
 * The application booted on a fresh SQLite database with a movable clock, after a simulated
 * period of `cases` complaints over `days` days (see src/cli/simulate.ts). `prepare` runs before
 * the simulation (e.g. to rename a unit).
 */
export async function simulatedApp(cases: number, days: number, seed = 7, prepare?: (app: App) => Promise<void>): Promise<{ app: App; report: SimulationReport; clock: { now: Date } }> {
  const clock = { now: new Date("2026-11-02T00:00:00Z") };
  const app = await boot({ ...loadConfig({ DATABASE_URL: freshSqliteUrl(), ADMIN_TOKEN: "dashboard-token-0123456789", LOG_LEVEL: "silent" }) }, undefined, { now: () => clock.now });
  await prepare?.(app);
  const report = await simulate(
    simulationApp(app),
    { cases, days, seed, intentsDir: join(PROJECT_ROOT, "intents"), clock, start: clock.now },
  );
  return { app, report, clock };
}
