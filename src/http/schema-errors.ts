/** One error of fastify's schema validation (an ajv error), as much of it as we read. */
export interface SchemaError {
  instancePath?: string;
  message?: string;
  keyword?: string;
  params?: { missingProperty?: string; additionalProperty?: string; allowedValues?: unknown[] };
}

/**
 * One schema validation error as "field: problem", naming the field the way the caller wrote
 * it: `page: must be >= 1`, `service_code: required`, `colour: unknown parameter`,
 * `role: must be one of handler, leader, supervisor`.
 */
export function schemaErrorText(e: SchemaError): string {
  const path = (e.instancePath ?? "").replace(/^\//, "").replace(/\//g, ".");
  const join = (name: string) => (path ? `${path}.${name}` : name);
  if (e.params?.missingProperty) return `${join(e.params.missingProperty)}: required`;
  if (e.params?.additionalProperty) return `${join(e.params.additionalProperty)}: unknown parameter`;
  if (e.keyword === "enum" && e.params?.allowedValues) return `${path || "value"}: must be one of ${e.params.allowedValues.join(", ")}`;
  return `${path || "request"}: ${e.message ?? "invalid"}`;
}
