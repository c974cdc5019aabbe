import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { createCore, type Core, type Logger } from '../core/core.ts';
import { createConfSettings } from '../core/settings/conf-settings.ts';
import { createKeychain } from '../core/credentials/keychain.ts';
import { defaultDataDir } from '../core/paths/data-dir.ts';
import { dispatch } from '../core/api/dispatch.ts';
import type { Handlers, HandlerName } from '../core/api/handlers.ts';
import type { InputOf, OutputOf } from '../core/api/contract.ts';
import { RaceDeskError } from '../core/errors.ts';

export interface GlobalOptions {
  dataDir: string;
  json: boolean;
}

/** What every command gets: the global options, a core to call, and output helpers. */
export class CliContext {
  constructor(private readonly program: Command) {}

  get options(): GlobalOptions {
    const raw = this.program.opts<{ dataDir?: string; json?: boolean }>();
    return { dataDir: resolve(raw.dataDir ?? defaultDataDir()), json: Boolean(raw.json) };
  }

  /** Logs go to stderr so stdout stays machine-readable with --json. */
  readonly log: Logger = {
    info: (message) => process.stderr.write(`${message}\n`),
    warn: (message) => process.stderr.write(`warning: ${message}\n`),
    error: (message) => process.stderr.write(`error: ${message}\n`),
  };

  openCore(): Core {
    const { dataDir } = this.options;
    return createCore({
      dataDir,
      settings: createConfSettings(dataDir),
      credentials: createKeychain(process.env.RACEDESK_KEYCHAIN_SERVICE || undefined),
      log: this.log,
      stationName: process.env.RACEDESK_STATION_NAME || 'CLI',
    });
  }

  async withCore<T>(work: (core: Core) => Promise<T>): Promise<T> {
    const core = this.openCore();
    try {
      return await work(core);
    } finally {
      core.close();
    }
  }

  /** Calls one handler through the API contract; a failure becomes a thrown RaceDeskError. */
  async call<K extends HandlerName>(core: Core, name: K, input: InputOf<Handlers[K]>): Promise<OutputOf<Handlers[K]>> {
    const result = await dispatch(core, name, input);
    if (!result.ok) throw new RaceDeskError(result.error.code, result.error.message);
    return result.value as OutputOf<Handlers[K]>;
  }

  /** Prints `value` as JSON with --json, else the human rendering. */
  print(value: unknown, human: () => string): void {
    if (this.options.json) process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    else {
      const text = human();
      if (text.length > 0) process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
    }
  }
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** One line the person types (or a pipe gives) on stdin; '' when stdin ends first. */
export async function readLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, terminal: false });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}

/** A plain-text table for human output. */
export function formatTable(rows: Array<Record<string, unknown>>, columns: string[]): string {
  if (rows.length === 0) return '(none)';
  const cell = (value: unknown) => (value === null || value === undefined ? '' : String(value));
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  return [line(columns), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(columns.map((c) => cell(r[c]))))].join('\n');
}
