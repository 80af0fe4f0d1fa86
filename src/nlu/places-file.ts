import { z } from "zod";
import type { PlaceList } from "./entities.js";

// The places file: towns and their villages/communities. Unknown keys are refused.
const PlacesFile = z.object({
  _comment: z.string().optional(),
  towns: z.array(z.object({
    name: z.string().regex(/^\p{Script=Han}{1,10}(?:镇|乡|街道)$/u, "name: a town ending in 镇, 乡 or 街道"),
    villages: z.array(z.string().regex(/^\p{Script=Han}{1,10}(?:村|社区|居委会)$/u, "a village ending in 村, 社区 or 居委会")),
  }).strict()),
}).strict();

/**
 * Validates a places file's parsed JSON (config/places.default.json or PLACES_FILE): towns (镇/乡/街道)
 * and their villages (村/社区). Returns the list, or the first problem as "path: message".
 */
export function parsePlacesFile(raw: unknown): { ok: true; places: PlaceList } | { ok: false; error: string } {
  const parsed = PlacesFile.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `${issue.path.join(".")}: ${issue.message}` };
  }
  return { ok: true, places: { towns: parsed.data.towns } };
}
