// The public API of @codearts-package-status/client.
export { CLIENT_DEFAULTS, createClient, type ClientOptions, type CodeArtsClient } from "./client.js";
export { cachedCredentials } from "./auth/cache.js";
export { credentialChain, defaultCredentialChain, type DefaultChainOptions } from "./auth/chain.js";
export type { AccessKeyCredentials, Credentials, CredentialsProvider, ProvidedCredentials, TokenCredentials } from "./auth/credentials.js";
export { fromEcsMetadata, type EcsMetadataOptions } from "./auth/ecs-metadata.js";
export { fromEnv, type EnvOptions } from "./auth/env.js";
export { fromProfile, type ProfileOptions } from "./auth/profile.js";
export type { CallOptions, WithRequestId } from "./call-options.js";
export { endpointProblem } from "./endpoint-url.js";
export { endpointVariable, resolveEndpoints, type EndpointOptions, type ResolvedEndpoints } from "./endpoints/resolve.js";
export { KNOWN_REGIONS, REGION_ENDPOINTS, REGION_HOSTS, type Endpoints } from "./endpoints/table.js";
export { ENV_VARIABLES, environmentSettings, type Env, type EnvironmentSettings } from "./environment.js";
export { createRedactor, REDACTED, type Redact } from "./redact.js";
export type { RetryOptions } from "./transport/retry.js";
export type { ValidationMode } from "./validation/schema.js";
export { validateResponse, type ValidateOptions } from "./validation/validate.js";
export type { ArtifactResource, CheckResource, IamResource, PipelineResource, Resources } from "./generated/resources.js";
export { PACKAGE_SERVICES, SDK_SERVICE_NAMES, SERVICE_NAMES, SERVICES, type OperationId, type PackageService, type Service } from "./generated/operations.js";
export {
  ApiError,
  AuthenticationError,
  BadRequestError,
  CodeArtsError,
  ConnectionError,
  CredentialsError,
  InternalServerError,
  InvalidParameterError,
  InvalidResponseError,
  NotFoundError,
  PermissionDeniedError,
  RateLimitError,
  RedirectError,
  RequestAbortedError,
  ResponseTooLargeError,
  ResponseValidationError,
  SignerLoadError,
  SigningError,
  TimeoutError,
  type ApiErrorDetails,
  type ValidationIssue,
} from "./errors.js";
