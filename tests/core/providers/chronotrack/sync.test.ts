import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCore } from '../../../helpers/core.ts';
import { coreWithAccount } from '../../../helpers/provider-session.ts';
import { sha1Hex } from '../../../../src-main/core/providers/chronotrack/client.ts';
import { startChronotrackSimulator, type ChronotrackSimulator } from '../../../../src-main/simulators/chronotrack.ts';
import { runSync } from '../../../../src-main/core/sync/run-sync.ts';
import { RaceDeskError } from '../../../../src-main/core/errors.ts';

/*
 * End to end through the generic runner, the real SQLite store and the real OS keychain (run
 * inside scripts/with-keychain.js). The simulator hands out at most 5 rows per page, so the 12
 * entries of an event come in 3 pages and the results' interval rows straddle pages.
 */
const label = 'ChronoTrack main';

describe('ChronoTrack sync through runSync', () => {
  let sim: ChronotrackSimulator;
  let core: TestCore;

  beforeEach(async () => {
    sim = await startChronotrackSimulator({ maxPageSize: 5, entriesPerEvent: 12 });
    core = await coreWithAccount({ provider: 'chronotrack', label, baseUrl: sim.url, secret: { ...sim.credentials }, unlimitedRate: true });
  });
  afterEach(async () => {
    core.cleanup();
    await sim.close();
  });

  const count = (sql: string, ...params: unknown[]) => (core.db.prepare(sql).get(...params) as { n: number }).n;
  const history = (type: string) =>
    core.db.prepare(`SELECT status, records_processed, error_message, event_id FROM sync_history WHERE sync_type = ? ORDER BY id`).all(type) as Array<Record<string, unknown>>;

  it('stores every entry and result once over several pages, with partner and account, never the password', async () => {
    const summary = await runSync(core, { provider: 'chronotrack', account: label });
    expect(summary).toMatchObject({ status: 'success', eventsListed: 2 });
    expect(count('SELECT count(*) AS n FROM ct_events')).toBe(2);
    expect(count('SELECT count(*) AS n FROM ct_participants')).toBe(24);
    expect(count(`SELECT count(*) AS n FROM ct_participants WHERE timing_partner_id = 7 AND credentials_used = ?`, label)).toBe(24);
    expect(sim.requests.filter((r) => r.path === '/api/event/90412/entry').map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);

    const world = sim.world.events[0];
    const withResults = new Set(world.results.map((r) => r.results_entry_id));
    expect(count('SELECT count(*) AS n FROM ct_results')).toBe(withResults.size);
    expect(count(`SELECT count(*) AS n FROM unified_results WHERE source_provider = 'chronotrack'`)).toBe(withResults.size);
    for (const full of world.results.filter((r) => r.results_interval_full === '1')) {
      const row = core.db.prepare(`SELECT results_time, overall_place, status FROM unified_results WHERE participant_id = ?`).get(full.results_entry_id);
      expect(row).toEqual({ results_time: full.results_time, overall_place: Number(full.results_rank), status: 'finished' });
    }
    expect(count('SELECT count(*) AS n FROM ct_results WHERE results_time IS NOT NULL AND (results_gender_rank IS NULL OR results_age_group_rank IS NULL)')).toBe(0);
    expect(count('SELECT count(*) AS n FROM ct_results WHERE results_gender_rank = 1')).toBeGreaterThanOrEqual(2);
    const dnf = world.entries.find((e) => e.entry_status === 'DNF')!;
    expect(core.db.prepare(`SELECT status, results_time FROM unified_results WHERE participant_id = ?`).get(dnf.entry_id)).toEqual({ status: 'dnf', results_time: null });

    const dump = JSON.stringify(core.db.prepare('SELECT * FROM ct_participants').all()) + JSON.stringify(core.db.prepare('SELECT * FROM sync_history').all());
    expect(dump).not.toContain(sim.credentials.password);
    expect(dump).not.toContain(sha1Hex(sim.credentials.password));
  });

  it('shows consistent gender, age, city and state in unified_participants', async () => {
    await runSync(core, { provider: 'chronotrack', account: label });
    const rows = core.db.prepare(`SELECT participant_id, gender, age, city, state FROM unified_participants WHERE source_provider = 'chronotrack'`).all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(24);
    const entries = new Map(sim.world.events.flatMap((e) => e.entries).map((e) => [e.entry_id, e]));
    for (const row of rows) {
      const entry = entries.get(row.participant_id as string)!;
      expect(row).toEqual({
        participant_id: entry.entry_id,
        gender: entry.athlete_sex,
        age: Number(entry.entry_race_age),
        city: entry.location_city,
        state: entry.location_region,
      });
    }
  });

  it('re-syncs changes without duplicates (ChronoTrack has no incremental filter: a full re-pull)', async () => {
    await runSync(core, { provider: 'chronotrack', account: label });
    const [first] = sim.world.events[0].entries;
    sim.updateEntry(first.entry_id, { entry_bib: '4242', athlete_last_name: "D'Arcy" });
    const added = sim.addEntry('90412', { athlete_first_name: 'Zoë', athlete_last_name: 'Núñez' });

    await runSync(core, { provider: 'chronotrack', account: label });
    expect(count('SELECT count(*) AS n FROM ct_participants')).toBe(25);
    expect(core.db.prepare('SELECT entry_bib, athlete_last_name FROM ct_participants WHERE entry_id = ?').get(first.entry_id)).toEqual({ entry_bib: '4242', athlete_last_name: "D'Arcy" });
    expect(count('SELECT count(*) AS n FROM ct_participants WHERE entry_id = ?', added.entry_id)).toBe(1);

    await runSync(core, { provider: 'chronotrack', account: label, full: true });
    expect(count('SELECT count(*) AS n FROM ct_participants')).toBe(25);
    expect(count('SELECT count(*) AS n FROM ct_results')).toBe(new Set(sim.world.events[0].results.map((r) => r.results_entry_id)).size);
    expect(count(`SELECT count(*) AS n FROM participant_search WHERE provider = 'chronotrack'`)).toBe(25);
  });

  it('stores nothing when ChronoTrack refuses the credentials', async () => {
    sim.credentials.password = 'rotated by the office';
    const error = await runSync(core, { provider: 'chronotrack', account: label }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RaceDeskError);
    expect((error as RaceDeskError).code).toBe('auth_failed');
    expect((error as RaceDeskError).message).toContain('ChronoTrack refused the credentials');
    expect(count('SELECT count(*) AS n FROM ct_events') + count('SELECT count(*) AS n FROM ct_participants')).toBe(0);
    expect(history('events')).toEqual([expect.objectContaining({ status: 'failed' })]);
  });

  it('stores every entry when one has an unreadable age, and records the run as partial with the problem', async () => {
    const bad = sim.world.events[0].entries[7];
    sim.corruptEntry(bad.entry_id, 'entry_race_age', 'thirty');
    const summary = await runSync(core, { provider: 'chronotrack', account: label, events: ['90412'], kinds: ['participants'] });
    const entries = sim.world.events[0].entries.length;
    expect(summary.outcomes).toEqual([expect.objectContaining({ kind: 'participants', status: 'partial', records: entries, errorCode: null })]);
    expect(count('SELECT count(*) AS n FROM ct_participants')).toBe(entries);
    expect(core.db.prepare('SELECT entry_race_age FROM ct_participants WHERE entry_id = ?').get(bad.entry_id)).toEqual({ entry_race_age: null });
    const [row] = history('participants');
    expect(row).toMatchObject({ status: 'partial', records_processed: entries, event_id: '90412' });
    expect(core.db.prepare('SELECT record_id, field, raw_value, problem FROM sync_problems').all()).toEqual([
      {
        record_id: bad.entry_id,
        field: 'entry_race_age',
        raw_value: '"thirty"',
        problem: `ChronoTrack event 90412, entries page 2: entry ${bad.entry_id} has entry_race_age "thirty", which is not a whole number (stored as NULL).`,
      },
    ]);
  });

  it('fails only the event this login may no longer read (403); the other event is synced', async () => {
    const [first, second] = sim.world.events.map((e) => String(e.event.event_id));
    sim.forbidEvent(first);
    const summary = await runSync(core, { provider: 'chronotrack', account: label, kinds: ['participants'] });
    expect(summary.status).toBe('partial');
    expect(summary.outcomes.map((o) => [o.eventId, o.status, o.errorCode])).toEqual([
      [first, 'failed', 'access_denied'],
      [second, 'success', null],
    ]);
    expect(count('SELECT count(*) AS n FROM ct_participants WHERE event_id = ?', second)).toBe(sim.world.events[1].entries.length);
  });

  it('fills the contact columns from GET /entry/{id} once; later syncs ask only entries still without them and keep what is stored', async () => {
    await runSync(core, { provider: 'chronotrack', account: label, kinds: ['participants'] });
    const detailCalls = () => sim.requests.filter((r) => r.path.startsWith('/api/entry/')).length;
    expect(detailCalls()).toBe(24);
    const world = sim.world.events[0];
    const [first] = world.entries;
    expect(core.db.prepare('SELECT athlete_email, athlete_mobile_phone FROM ct_participants WHERE entry_id = ?').get(first.entry_id)).toEqual({
      athlete_email: world.details[first.entry_id].athlete_email,
      athlete_mobile_phone: world.details[first.entry_id].athlete_mobile_phone,
    });
    expect(count('SELECT count(*) AS n FROM ct_participants WHERE athlete_email IS NULL')).toBe(0);

    const added = sim.addEntry('90412', { athlete_first_name: 'Zoë', athlete_last_name: 'Núñez' });
    world.details[added.entry_id] = { athlete_email: 'zoe.nunez@example.com' };
    sim.updateEntry(first.entry_id, { entry_bib: '4242' });
    await runSync(core, { provider: 'chronotrack', account: label, kinds: ['participants'] });
    expect(sim.requests.filter((r) => r.path.startsWith('/api/entry/')).slice(24).map((r) => r.path)).toEqual([`/api/entry/${added.entry_id}`]);
    expect(core.db.prepare('SELECT entry_bib, athlete_email FROM ct_participants WHERE entry_id = ?').get(first.entry_id)).toEqual({
      entry_bib: '4242',
      athlete_email: world.details[first.entry_id].athlete_email,
    });
    expect(core.db.prepare('SELECT athlete_email FROM ct_participants WHERE entry_id = ?').get(added.entry_id)).toEqual({ athlete_email: 'zoe.nunez@example.com' });
  });
});
