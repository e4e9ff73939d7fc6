// How the browser tests start Debian's chromium, in one place: `scripts/ensure-chromium.mjs`
// installs it at the same default path (and honours the same variable) before they run.

/** The environment variable that names another Chromium or Chrome binary. */
export const CHROMIUM_PATH_VARIABLE = "CHROMIUM_PATH";

/**
 * Launch options for playwright-core's `chromium.launch()`: Debian's binary (never a downloaded
 * browser), headless, and with every background connection of the browser's own turned off, so
 * that the only requests are the page's.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env[CHROMIUM_PATH_VARIABLE] ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
};
