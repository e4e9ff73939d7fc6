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

/**
 * Each service (tag) in the order its operations first appear, with its tag's `x-displayName`,
 * the service name Huawei's SDKs read overrides under (`x-huaweicloud-sdk-service`), and whether
 * it only supports the others (every operation `x-codearts-supporting`, as IAM's tenant lookup).
 */
export function servicesOf(document) {
  const operations = operationsOf(document);
  return [...new Set(operations.map(serviceOf))].map((name) => {
    const tag = document.tags?.find((t) => t.name === name);
    const displayName = tag?.["x-displayName"];
    if (typeof displayName !== "string") throw new Error(`tag ${name} needs an x-displayName`);
    const sdkName = tag?.["x-huaweicloud-sdk-service"];
    if (typeof sdkName !== "string" || !/^[A-Z0-9]+$/.test(sdkName)) throw new Error(`tag ${name} needs an upper-case x-huaweicloud-sdk-service`);
    const own = operations.filter((o) => serviceOf(o) === name);
    const supporting = own.every((o) => o["x-codearts-supporting"] === true);
    if (!supporting && own.some((o) => o["x-codearts-supporting"] === true)) throw new Error(`tag ${name} mixes supporting and package operations`);
    return { name, displayName, sdkName, supporting };
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
