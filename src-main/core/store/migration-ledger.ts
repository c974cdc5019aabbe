import { RaceDeskError } from '../errors.ts';

/** One migration as both databases record it: the laptop's SQLite and the hub's PostgreSQL. */
export interface LedgerEntry {
  version: number;
  name: string;
}

export interface LedgerSubject {
  /** Names the database in messages: "The database /home/ann/.config/RaceDesk/racedesk.sqlite", "The hub". */
  name: string;
  /** What to do when the database was written by a newer RaceDesk. */
  whenNewer: string;
}

/*
 * The one rule deciding which migrations run, for the laptop and the hub alike. Version ranges
 * are reserved per area, so a migration can be registered after higher-numbered ones already
 * reached a database; a runner that skips everything at or below the newest applied version would
 * never run it. So the ledger of applied migrations must be exactly the code's list up to the
 * newest applied one: a migration missing below that (added late), one the code does not know, or
 * one under another name means this build and the database disagree, and the database is refused
 * before anything runs.
 */
export function pendingMigrations<M extends LedgerEntry>(list: readonly M[], applied: readonly LedgerEntry[], subject: LedgerSubject): M[] {
  for (let i = 1; i < list.length; i++) {
    if (list[i].version <= list[i - 1].version) {
      throw new RaceDeskError('internal', `Migration list out of order at version ${list[i].version}.`);
    }
  }
  const newestKnown = list.at(-1)?.version ?? 0;
  const newestApplied = applied.reduce((newest, entry) => Math.max(newest, entry.version), 0);
  if (newestApplied > newestKnown) {
    throw new RaceDeskError(
      'database_too_new',
      `${subject.name} was written by a newer RaceDesk (schema version ${newestApplied}; this RaceDesk knows up to ${newestKnown}). ${subject.whenNewer}`,
    );
  }
  const known = new Map(list.map((migration) => [migration.version, migration]));
  for (const entry of applied) {
    const migration = known.get(entry.version);
    if (!migration) {
      throw disagreement(subject, `records migration ${entry.version} (${entry.name}), which this RaceDesk does not have`);
    }
    if (migration.name !== entry.name) {
      throw disagreement(subject, `records migration ${entry.version} as "${entry.name}", which this RaceDesk calls "${migration.name}"`);
    }
  }
  const done = new Set(applied.map((entry) => entry.version));
  const pending = list.filter((migration) => !done.has(migration.version));
  const late = pending.find((migration) => migration.version < newestApplied);
  if (late) {
    const newest = known.get(newestApplied) as M;
    throw disagreement(
      subject,
      `has migration ${newest.version} (${newest.name}) applied but not migration ${late.version} (${late.name}), which this RaceDesk lists before it ` +
        `and which would never run. The migration was added out of order: it must be renumbered above ${newest.version}`,
    );
  }
  return pending;
}

function disagreement(subject: LedgerSubject, what: string): RaceDeskError {
  return new RaceDeskError(
    'database_error',
    `${subject.name} ${what}. Its schema and this RaceDesk disagree, so it was not opened and nothing was changed; use the RaceDesk build that wrote it, or report this to the RaceDesk developers.`,
  );
}
