import type { Command } from 'commander';
import type { CliContext } from './context.ts';

/*
 * Every top-level command, with its one-line summary and the module that defines it. `racedesk`
 * loads only the module of the command it runs (a sync never loads the demo's PostgreSQL or the
 * station's server), and `racedesk --help` none at all, so it starts about as fast as Node.
 */
type Register = (program: Command, context: CliContext) => void;

interface CommandEntry {
  /** As in the help's command list: name and arguments. */
  usage: string;
  summary: string;
  load: () => Promise<Register>;
}

const lookupModule = () => import('./commands/lookup.ts').then((m) => m.registerLookupCommands);
const accountModule = () => import('./commands/account.ts').then((m) => m.registerAccountCommands);

export const commandList = {
  providers: { usage: 'providers', summary: 'the providers RaceDesk can sync, and the request allowance of each', load: accountModule },
  account: { usage: 'account', summary: 'provider accounts (secrets live in the OS keychain)', load: accountModule },
  partner: { usage: 'partner', summary: 'the timing partner this laptop works for', load: accountModule },
  sync: { usage: 'sync <provider>', summary: 'pull events and participants (and results) of an account into the local store', load: () => import('./commands/sync.ts').then((m) => m.registerSyncCommands) },
  queue: {
    usage: 'queue',
    summary: 'the sync queue: pending, running and failed jobs (subcommands: add, retry, cancel, run, watch, unwatch, watches)',
    load: () => import('./commands/queue.ts').then((m) => m.registerQueueCommands),
  },
  history: { usage: 'history', summary: 'recent sync runs (sync_history), newest first', load: () => import('./commands/history.ts').then((m) => m.registerHistoryCommands) },
  lookup: { usage: 'lookup <query>', summary: 'find runners by bib, name (accents, case, apostrophes and hyphens ignored; any parts of first and last names), email or phone, across providers', load: lookupModule },
  scope: { usage: 'scope', summary: "the events this station's pickup table serves (search, bib lookup, counters, walk-ups)", load: lookupModule },
  status: { usage: 'status', summary: 'participants per provider and event, last sync per account', load: () => import('./commands/status.ts').then((m) => m.registerStatusCommands) },
  hub: { usage: 'hub', summary: "the timing partner's shared PostgreSQL hub", load: () => import('./commands/hub.ts').then((m) => m.registerHubCommands) },
  push: { usage: 'push', summary: "send this laptop's pending changes to the hub", load: () => import('./commands/push.ts').then((m) => m.registerPushCommands) },
  simulate: { usage: 'simulate <provider>', summary: "run a provider's simulator (a local fake of its API with synthetic races) until Ctrl+C", load: () => import('./commands/simulate.ts').then((m) => m.registerSimulateCommands) },
  startlist: { usage: 'startlist', summary: 'start lists for the timing system: FinishLynx lynx.ppl and lynx.evt, or CSV', load: () => import('./commands/startlist.ts').then((m) => m.registerStartListCommands) },
  results: { usage: 'results', summary: "race-day results: import the timing software's files, place, show, export, publish to RunSignUp", load: () => import('./commands/results.ts').then((m) => m.registerResultsCommands) },
  station: { usage: 'station', summary: 'serve RaceDesk to browsers on the venue network (first line of output: the address devices join at, with a one-time pairing code; subcommands: pair, devices, promote, revoke)', load: () => import('./commands/station.ts').then((m) => m.registerStationCommands) },
  demo: {
    usage: 'demo',
    summary: 'a complete demo on this computer: simulated providers, synced data, a local hub (PostgreSQL) and the station (URL on the first line)',
    load: () => import('./commands/demo.ts').then((m) => m.registerDemoCommands),
  },
} satisfies Record<string, CommandEntry>;

export type CommandName = keyof typeof commandList;

/** The one-line summary of a top-level command, for its own definition and for the help's list. */
export function summary(name: CommandName): string {
  return commandList[name].summary;
}

/**
 * The top-level command `argv` runs (`racedesk help X` runs X's help), skipping global options;
 * null when there is none or it is not ours (commander then prints the help or the error).
 */
export function commandOf(argv: readonly string[]): CommandName | null {
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--data-dir') i++;
    else if (!argv[i].startsWith('-')) positional.push(argv[i]);
    if (positional.length === 2 || (positional.length === 1 && positional[0] !== 'help')) break;
  }
  const name = positional[0] === 'help' ? positional[1] : positional[0];
  return name !== undefined && Object.hasOwn(commandList, name) ? (name as CommandName) : null;
}
