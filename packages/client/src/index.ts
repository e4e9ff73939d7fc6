// The public API of @codearts-package-status/client.
export { createClient, resolveEndpoints, type ClientOptions, type CodeArtsClient, type ResolvedEndpoints } from "./client.js";
export type { AccessKeyCredentials, Credentials, TokenCredentials } from "./auth.js";
export type { CallOptions, WithRequestId } from "./call-options.js";
export {
  credentialChain,
  fromEcsMetadata,
  fromEnv,
  fromProfile,
  type CredentialsProvider,
  type EcsMetadataOptions,
  type ProfileOptions,
  type ProvidedCredentials,
} from "./providers.js";
export type { Endpoints } from "./hosts.js";
export { KNOWN_REGIONS, REGION_ENDPOINTS, REGION_HOSTS } from "./hosts.js";
export type { RetryOptions } from "./retry.js";
export type { ArtifactResource, CheckResource, IamResource, PipelineResource, Resources } from "./generated/resources.js";
export { PACKAGE_SERVICES, SDK_SERVICE_NAMES, SERVICES, type OperationId, type PackageService, type Service } from "./generated/operations.js";
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
