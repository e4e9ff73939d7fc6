// Preloaded (`node --import`) into every sample the tests run: a sample whose URL was not pointed
// at the mock fails at once instead of reaching Huawei's hosts or the ECS metadata address.
const original = globalThis.fetch;
const LOOPBACK = new Set(["127.0.0.1", "localhost", "[::1]"]);

globalThis.fetch = (input, init) => {
  const url = new URL(input instanceof Request ? input.url : String(input));
  if (!LOOPBACK.has(url.hostname)) return Promise.reject(new Error(`sample tried to reach ${url.host}; tests only allow loopback`));
  return original(input, init);
};
