// Values shared by the client tests, taken from the spec's documented examples through
// @codearts-package-status/test-support.
import { componentExample, parameterExample } from "@codearts-package-status/test-support";

export { spec } from "@codearts-package-status/test-support";

/** A documented example value by component name. */
export function example(name: string): unknown {
  return componentExample(name);
}

/** A valid project ID (the spec's documented example of `project_id`). */
export const PROJECT_ID = String(parameterExample("ProjectId"));
/** A valid tenant ID (the spec's documented example of `tenant_id`). */
export const TENANT_ID = String(parameterExample("TenantId"));

/** Credentials that must never show up in an error or a log. */
export const SECRETS = {
  token: "MIIT-secret-token-value-0123456789",
  accessKey: "AKSECRETACCESSKEY0001",
  secretKey: "sk-very-secret-key-0123456789abcdef",
  securityToken: "security-token-secret-value-0123456789",
};
