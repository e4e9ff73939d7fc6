// Values shared by the client tests, taken from the spec's documented examples.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";

/** The bundled spec, as published. */
export const spec = JSON.parse(readFileSync(createRequire(import.meta.url).resolve("@codearts-package-status/openapi/openapi.json"), "utf8"));

/** A documented example value by component name. */
export function example(name: string): unknown {
  return spec.components.examples[name].value;
}

/** A valid project ID (the Artifact page's example). */
export const PROJECT_ID = "666666af0f00445f85dec483fbc97c78";
/** A valid tenant ID (the Check page's example). */
export const TENANT_ID = "389efb76b1354e4482eabeedxxxxxxxx";

/** Credentials that must never show up in an error or a log. */
export const SECRETS = {
  token: "MIIT-secret-token-value-0123456789",
  accessKey: "AKSECRETACCESSKEY0001",
  secretKey: "sk-very-secret-key-0123456789abcdef",
  securityToken: "security-token-secret-value-0123456789",
};
