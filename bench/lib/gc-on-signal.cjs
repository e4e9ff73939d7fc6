// Preloaded into the exporter by bench/exporter-fleet.mjs (with --expose-gc): SIGUSR2 runs a full
// garbage collection, so that heap and resident memory read afterwards are what the exporter
// holds, not garbage V8 has not collected yet. The exporter itself never handles SIGUSR2.
process.on("SIGUSR2", () => globalThis.gc?.());
