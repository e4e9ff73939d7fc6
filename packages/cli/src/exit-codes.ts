// One exit-code convention for every command of the toolkit (the report, the exporter, the
// mock's bin): the Nagios plugin one, so the command runs as an Icinga, Nagios or Zabbix check
// as it is, and a script tells "expiring" from "broken" without a table of its own.

/**
 * The exit codes: 0 OK, 1 WARNING (a package expires within `--warn-days`), 2 CRITICAL (within
 * `--critical-days`, already expired, or in a status past expiry), 3 UNKNOWN (bad usage, no
 * credentials, a service that could not be asked).
 */
export const EXIT = { ok: 0, warning: 1, critical: 2, unknown: 3 } as const;

/** One of the {@link EXIT} codes. */
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** `--warn-days` when not given: a month ahead, the usual renewal lead time. */
export const DEFAULT_WARN_DAYS = 30;

/** `--critical-days` when not given: a week ahead (never more than `--warn-days`). */
export const DEFAULT_CRITICAL_DAYS = 7;
