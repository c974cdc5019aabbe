import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterEach } from 'vitest';
import { openDatabase, type Db } from '../../../src-main/core/store/database.ts';
import { deleteRows, upsertRows } from '../../../src-main/core/store/upsert.ts';
import { finishHistory, startHistory } from '../../../src-main/core/sync/history.ts';
import { query } from './hub-test-kit.ts';

/** A laptop's local store in a temp folder, with helpers that change it the way the app does. */
export interface Laptop {
  db: Db;
  path: string;
  close(): void;
}

export function openLaptop(): Laptop {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-laptop-'));
  const path = join(dir, 'racedesk.sqlite');
  const db = openDatabase(path);
  return {
    db,
    path,
    close() {
      if (db.open) db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A test file's laptops: each call opens one, and every one opened is closed after each test. */
export function laptopsClosedAfterEach(): () => Laptop {
  const laptops: Laptop[] = [];
  afterEach(() => {
    for (const laptop of laptops.splice(0)) laptop.close();
  });
  return () => {
    const opened = openLaptop();
    laptops.push(opened);
    return opened;
  };
}

/**
 * Round `round` of a day's work: a sync that rewrites events and participants (bibs move,
 * registrations come and go), ChronoTrack entries with text keys and composite-key results, two
 * venue check-ins, and a sync_history row. Each page is one transaction, as the sync runner does.
 */
export function workRound(db: Db, round: number, size = 30): void {
  db.transaction(() => {
    const historyId = startHistory(db, { partnerId: null, provider: 'runsignup', syncType: 'participants', account: 'main', eventId: '1' });
    upsertRows(db, 'runsignup_events', ['event_id'], [1, 2].map((id) => ({ event_id: id, race_id: 9, name: `Event ${id} r${round}`, start_time: '2025-06-14T08:00:00.000Z', volunteer: id % 2 })));
    upsertRows(
      db,
      'runsignup_participants',
      ['registration_id'],
      Array.from({ length: size }, (_, i) => ({
        registration_id: 1000 + i,
        race_id: 9,
        event_id: 1 + (i % 2),
        first_name: `Runner${i}`,
        bib_num: String((i * 7 + round) % 500),
        address: JSON.stringify({ city: `City${i % 3}`, zip: `0${round}` }),
        dob: '1990-01-02',
      })),
    );
    // Registrations transferred away this round, back the next.
    deleteRows(db, 'runsignup_participants', [{ registration_id: 1000 + (round % size) }, { registration_id: 1000 + ((round * 3 + 1) % size) }]);
    finishHistory(db, historyId, { status: 'success', records: size });
  })();
  db.transaction(() => {
    upsertRows(db, 'ct_events', ['event_id'], [{ event_id: 'CT-1', event_name: `Trail r${round}`, location: JSON.stringify({ city: 'Bend' }) }]);
    upsertRows(db, 'ct_participants', ['entry_id'], Array.from({ length: 6 }, (_, i) => ({ entry_id: `N${i}`, event_id: 'CT-1', athlete_first_name: `Ath${i}`, entry_bib: String(round * 10 + i) })));
    upsertRows(db, 'ct_results', ['event_id', 'entry_id'], [{ event_id: 'CT-1', entry_id: `N${round % 6}`, results_time: `0:${String(20 + round).padStart(2, '0')}:00`, results_bib: '5' }]);
  })();
  for (let i = 0; i < 2; i++) recordCheckIn(db, { participantId: String(1000 + ((round + i) % size)), kind: round % 3 === 2 ? 'undo_check_in' : 'check_in', changedAt: `2025-06-14T08:${String(round % 60).padStart(2, '0')}:0${i}.000Z`, station: 'Desk 1' });
}

/** What the pickup module does for a venue change: the row (its outbox trigger queues it for the hub). */
export function recordCheckIn(
  db: Db,
  change: { participantId: string; kind: string; changedAt: string; station: string; field?: string; newValue?: string; changeId?: string },
): string {
  const changeId = change.changeId ?? randomUUID();
  db.prepare(
    `INSERT INTO participant_changes (change_id, source_provider, event_id, participant_id, kind, field, new_value, station_name, changed_at)
     VALUES (?, 'runsignup', '1', ?, ?, ?, ?, ?, ?)`,
  ).run(changeId, change.participantId, change.kind, change.field ?? null, change.newValue ?? null, change.station, change.changedAt);
  return changeId;
}

/** The columns each table's comparison looks at: its key plus the values the rounds change. */
const compared: Record<string, { local: string[]; hub: string[] }> = {
  runsignup_events: { local: ['event_id', 'name', 'volunteer'], hub: ['event_id', 'name', 'volunteer::int'] },
  runsignup_participants: { local: ['registration_id', 'event_id', 'first_name', 'bib_num', 'address'], hub: ['registration_id', 'event_id', 'first_name', 'bib_num', 'address'] },
  ct_events: { local: ['event_id', 'event_name', 'location'], hub: ['event_id', 'event_name', 'location'] },
  ct_participants: { local: ['entry_id', 'athlete_first_name', 'entry_bib'], hub: ['entry_id', 'athlete_first_name', 'entry_bib'] },
  ct_results: { local: ['event_id', 'entry_id', 'results_time'], hub: ['event_id', 'entry_id', 'results_time'] },
  participant_changes: { local: ['change_id', 'kind', 'participant_id', 'changed_at'], hub: ['change_id', 'kind', 'participant_id', 'changed_at'] },
  sync_history: { local: ['id', 'status', 'records_processed'], hub: ['local_id', 'status', 'records_processed'] },
};

function normalise(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string' && /^[{[]/.test(value)) return normalise(JSON.parse(value));
  if (typeof value === 'object') return JSON.stringify(Object.fromEntries(Object.entries(value as object).sort()));
  return String(value);
}

export function localSnapshot(db: Db): Record<string, string[]> {
  return Object.fromEntries(
    Object.entries(compared).map(([table, { local }]) => [
      table,
      (db.prepare(`SELECT ${local.join(', ')} FROM ${table}`).raw().all() as unknown[][]).map((r) => r.map(normalise).join('|')).sort(),
    ]),
  );
}

export async function hubSnapshot(adminUrl: string, partnerId: number, laptopId?: string): Promise<Record<string, string[]>> {
  const snapshot: Record<string, string[]> = {};
  for (const [table, { hub }] of Object.entries(compared)) {
    const laptopFilter = table === 'sync_history' && laptopId ? ` AND laptop_id = '${laptopId}'` : '';
    const rows = await query(adminUrl, `SELECT ${hub.join(', ')} FROM ${table} WHERE timing_partner_id = $1${laptopFilter}`, [partnerId]);
    snapshot[table] = rows.map((r) => Object.values(r).map(normalise).join('|')).sort();
  }
  return snapshot;
}
