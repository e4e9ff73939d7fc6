// The environment variables the command reads, named once: the parser reads them, and the usage
// text and the hints after a failure name them.

/** The name of each environment variable the command reads. */
export const ENV = {
  region: "HUAWEICLOUD_SDK_REGION",
  projectId: "CODEARTS_PROJECT_ID",
  tenantId: "HUAWEICLOUD_SDK_DOMAIN_ID",
  accessKey: "HUAWEICLOUD_SDK_AK",
  secretKey: "HUAWEICLOUD_SDK_SK",
  securityToken: "HUAWEICLOUD_SDK_SECURITY_TOKEN",
  token: "HUAWEICLOUD_SDK_TOKEN",
  // The IAM project ID of the region, sent as X-Project-Id with an access key pair: not the
  // CodeArts project ID of CODEARTS_PROJECT_ID.
  iamProjectId: "HUAWEICLOUD_SDK_PROJECT_ID",
  // The profile file, else ~/.huaweicloud/credentials; and the ECS metadata service, as AWS's
  // AWS_EC2_METADATA_SERVICE_ENDPOINT and AWS_EC2_METADATA_DISABLED name theirs. The client's
  // providers read the same names (src/internal/provide.ts of the client package).
  credentialsFile: "HUAWEICLOUD_SDK_CREDENTIALS_FILE",
  ecsMetadataEndpoint: "CODEARTS_ECS_METADATA_ENDPOINT",
  ecsMetadataDisabled: "CODEARTS_ECS_METADATA_DISABLED",
  // Huawei's SDKs' endpoint overrides: HUAWEICLOUD_SDK_REGION_{SERVICE}_{REGION} and this file
  // (default ~/.huaweicloud/regions.yaml), read by the client (packages/client/src/internal/endpoints.ts).
  regionsFile: "HUAWEICLOUD_SDK_REGIONS_FILE",
  // https://no-color.org: any non-empty value turns color off.
  noColor: "NO_COLOR",
  // FORCE_COLOR as Node and chalk read it: 0 or false turns color off, 1 to 3 on, even for a pipe.
  forceColor: "FORCE_COLOR",
  // TERM=dumb: a terminal (an editor's shell, a serial console) that cannot show escape codes.
  term: "TERM",
  // Proxies, read by undici's EnvHttpProxyAgent rules (src/proxy.ts): the lower-case spelling is
  // read too, and wins when both are set, as curl does for http_proxy.
  httpsProxy: "HTTPS_PROXY",
  httpProxy: "HTTP_PROXY",
  noProxy: "NO_PROXY",
} as const;
