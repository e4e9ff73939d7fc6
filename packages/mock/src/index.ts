/**
 * HTTP mock server of the Huawei Cloud CodeArts package status APIs, built from the OpenAPI
 * document in `@codearts-package-status/openapi` when it starts.
 *
 * @module
 */
export { startMockServer } from "./server.js";
export type { MockCredentials, MockServer, MockServerOptions, RecordedRequest } from "./server.js";
