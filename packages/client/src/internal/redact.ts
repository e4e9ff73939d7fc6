/**
 * Redaction by value: a server (or a proxy) may echo the request's credentials back in a body,
 * a header or an error message, and from there they would reach logs. The client knows its
 * credentials, so every error and error body that leaves a call goes through a redactor made
 * from them (src/client.ts), which replaces each occurrence by `[REDACTED]`. The redactor holds
 * the secrets in its closure; the errors never do.
 *
 * @internal
 * @module
 */

/** Replaces every configured secret in a value: strings, and objects in place (keys, own properties, `cause` chains). */
export type Redact = <T>(value: T) => T;

/** What replaces a secret. */
export const REDACTED = "[REDACTED]";

/**
 * The redactor for these secrets. It also finds the forms a server may echo a secret in:
 * JSON-escaped (a body that failed to parse) and percent-encoded. A value shorter than 8
 * characters (or `undefined`) is skipped: no credential Huawei Cloud issues is that short, and
 * it would match ordinary words of every message.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): Redact {
  const forms = [...new Set(secrets.flatMap((s) => (s && s.length > 7 ? [s, JSON.stringify(s).slice(1, -1), percentEncoded(s)] : [])))].sort(
    (a, b) => b.length - a.length,
  );
  const text = (value: string) => forms.reduce((t, form) => t.replaceAll(form, REDACTED), value);
  return <T>(root: T): T => {
    if (typeof root === "string") return text(root) as T;
    // An explicit stack, not recursion: a parsed body may nest deeper than the call stack goes.
    // Each entry is a value, and the object and key it was found at.
    const stack: [unknown, Record<string, unknown>?, string?][] = [[root]];
    const seen = new WeakSet<object>();
    for (let entry; (entry = stack.pop()); ) {
      const [value, parent, at] = entry;
      if (!value || typeof value !== "object" || seen.has(value)) continue;
      seen.add(value);
      const target = value as Record<string, unknown>;
      try {
        // Own properties, enumerable or not: an error's message, stack and cause are not.
        for (const key of Object.getOwnPropertyNames(target)) {
          const field = target[key];
          const clean = typeof field === "string" ? text(field) : field;
          const cleanKey = text(key);
          if (cleanKey !== key) delete target[key];
          // An assignment keeps the property's enumerability, so JSON.stringify shows what it showed.
          if (cleanKey !== key || clean !== field) target[cleanKey] = clean;
          stack.push([clean, target, cleanKey]);
        }
      } catch {
        // A frozen object or a throwing getter (never one of ours): it cannot be cleaned, so its
        // parent shows the marker instead. Parents are walked first, so they are still writable.
        if (!parent) return REDACTED as T;
        parent[at!] = REDACTED;
      }
    }
    return root;
  };
}

// A secret key may hold a lone surrogate (it is only key material), which no URL can carry.
function percentEncoded(secret: string): string {
  try {
    return encodeURIComponent(secret);
  } catch {
    return secret;
  }
}
