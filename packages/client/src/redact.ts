// Redaction by value: a server (or a proxy) may echo the request's credentials back in a body, a
// header or an error message, and from there they would reach logs. The client knows its
// credentials, so every answer, error and error body that leaves a call goes through a redactor
// made from them (src/client.ts), which replaces each occurrence by `[REDACTED]`. The redactor holds
// the secrets in its closure; the errors never do.

/** Replaces every configured secret in a value: a string, or an object in place (keys, own properties, `cause` chains). */
export type Redact = <T>(value: T) => T;

/** What replaces a secret. */
export const REDACTED = "[REDACTED]";

/**
 * The redactor for these secrets. It also finds the forms a server may echo a secret in:
 * JSON-escaped (a body that failed to parse) and percent-encoded. A value shorter than 8
 * characters (or not a string) is skipped: no credential Huawei Cloud issues is that short, and
 * it would match ordinary words of every message.
 */
export function createRedactor(secrets: readonly unknown[]): Redact {
  const forms = new Set<string>();
  for (const secret of new Set(secrets)) {
    if (typeof secret !== "string" || secret.length < 8) continue;
    forms.add(secret).add(JSON.stringify(secret).slice(1, -1));
    try {
      forms.add(encodeURIComponent(secret));
    } catch {
      // A secret key may hold a lone surrogate (it is only key material), which no URL can carry.
    }
  }
  // One pass per string, longest form first (one secret may contain another): a body of 150,000
  // entries took 2.6 s with a replaceAll per form, 0.3 s so.
  if (forms.size === 0) return <T>(value: T): T => value;
  const pattern = new RegExp(
    [...forms]
      .sort((a, b) => b.length - a.length)
      .map((form) => form.replace(/[$()*+.?[\\\]^{|}]/g, "\\$&"))
      .join("|"),
    "g",
  );
  const text = (value: string) => value.replace(pattern, REDACTED);
  return <T>(value: T): T => {
    // The value sits in a box, so that it has a parent too: a string is replaced there, and so is
    // an object that cannot be cleaned. An explicit stack, not recursion: a parsed body may nest
    // deeper than the call stack goes. Each entry is an object to clean, and where it was found.
    const box = { value };
    const stack: [Record<string, unknown>, Record<string, unknown>?, string?][] = [[box]];
    const seen = new WeakSet<object>();
    for (let entry; (entry = stack.pop()); ) {
      const [target, parent, at] = entry;
      try {
        // Own properties, enumerable or not: an error's message, stack and cause are not.
        for (const key of Object.getOwnPropertyNames(target)) {
          const field = target[key];
          const clean = typeof field === "string" ? text(field) : field;
          const cleanKey = text(key);
          if (cleanKey !== key) delete target[key];
          // An assignment keeps the property's enumerability, so JSON.stringify shows what it showed.
          if (cleanKey !== key || clean !== field) target[cleanKey] = clean;
          if (clean && typeof clean === "object" && !seen.has(clean)) {
            seen.add(clean);
            stack.push([clean as Record<string, unknown>, target, cleanKey]);
          }
        }
      } catch {
        // A frozen object or a throwing getter (never one of ours): it cannot be cleaned, so its
        // parent shows the marker instead. Parents are cleaned first, so they are writable.
        parent![at!] = REDACTED;
      }
    }
    return box.value;
  };
}
