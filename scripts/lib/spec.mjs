// Small readers of the bundled spec shared by the generators.

/** Resolves an internal `#/...` JSON pointer reference against the document. */
export function resolveRef(document, value) {
  if (!value || typeof value.$ref !== "string") return value;
  const pointer = value.$ref.replace(/^#\//, "").split("/").map((s) => s.replaceAll("~1", "/").replaceAll("~0", "~"));
  return resolveRef(
    document,
    pointer.reduce((node, key) => node?.[key], document),
  );
}

/** Every operation with its method, path, servers and resolved parameters, in document order. */
export function operationsOf(document) {
  const result = [];
  for (const [pathName, pathItem] of Object.entries(document.paths)) {
    for (const method of ["get", "put", "post", "delete", "options", "head", "patch", "trace"]) {
      const operation = pathItem[method];
      if (!operation) continue;
      const parameters = [...(pathItem.parameters ?? []), ...(operation.parameters ?? [])].map((p) =>
        resolveRef(document, p),
      );
      result.push({
        ...operation,
        method,
        path: pathName,
        servers: operation.servers ?? pathItem.servers ?? document.servers ?? [],
        parameters,
        responses: Object.fromEntries(
          Object.entries(operation.responses).map(([status, response]) => [status, resolveRef(document, response)]),
        ),
      });
    }
  }
  return result;
}

/** The one tag of an operation: the CodeArts service that serves it. */
export function serviceOf(operation) {
  if (operation.tags?.length !== 1) throw new Error(`${operation.operationId} needs exactly one service tag`);
  return operation.tags[0];
}

/** Each service (tag) in the order its operations first appear, with its tag's `x-displayName`. */
export function servicesOf(document) {
  return [...new Set(operationsOf(document).map(serviceOf))].map((name) => {
    const displayName = document.tags?.find((tag) => tag.name === name)?.["x-displayName"];
    if (typeof displayName !== "string") throw new Error(`tag ${name} needs an x-displayName`);
    return { name, displayName };
  });
}

/** The documented 2xx status of an operation. */
export function successStatus(operation) {
  const ok = Object.keys(operation.responses).find((status) => status.startsWith("2"));
  if (!ok) throw new Error(`${operation.operationId} documents no 2xx response`);
  return ok;
}

/** A JSDoc block holding a description, safe against comment terminators. */
export function tsDoc(text, indent = "") {
  const body = text.trim().replaceAll("*/", "*\\/").split("\n");
  if (body.length === 1) return `${indent}/** ${body[0]} */`;
  return [`${indent}/**`, ...body.map((line) => `${indent} * ${line}`.trimEnd()), `${indent} */`].join("\n");
}
