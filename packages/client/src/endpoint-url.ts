// The one rule every endpoint the client is given follows, wherever it was set (the `endpoints`
// option, an environment variable, the regions file, the ECS metadata service's address, the
// CLI's --endpoint-* flags). An error about one names where it was set and this rule, never the
// value: an endpoint may be written with a password in it.

/**
 * What is wrong with an endpoint URL, as words that follow its name ("must not contain a user
 * name or password"); undefined when it is an absolute http or https URL with a host and no user
 * name, password, query or fragment (a path is allowed). Never quotes the value.
 */
export function endpointProblem(value: string): string | undefined {
  const text = String(value).trim();
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be an http or https URL";
  }
  // `https:host` parses (as https://host/), but is not how anyone writes an absolute URL.
  if ((url.protocol !== "https:" && url.protocol !== "http:") || !/^https?:\/\/[^/?#]/i.test(text)) return "must be an http or https URL";
  // Refused rather than dropped: a request would otherwise go out without what the user wrote.
  if (url.username !== "" || url.password !== "" || /^[^/]*\/\/[^/?#]*@/.test(text)) return "must not contain a user name or password";
  if (/[?#]/.test(text)) return "must not contain a query or fragment";
  return undefined;
}
