import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCore } from '../../../helpers/core.ts';
import { coreWithAccount } from '../../../helpers/provider-session.ts';
import { simulatorPreset, startCopernicoSimulator, type CopernicoSimulator } from '../../../../src-main/simulators/copernico.ts';
import type { CopRecord } from '../../../../src-main/datasets/copernico.ts';
import { runSync } from '../../../../src-main/core/sync/run-sync.ts';
import { RaceDeskError } from '../../../../src-main/core/errors.ts';

/*
 * End to end through the generic runner, the real SQLite store and the real OS keychain (run
 * inside scripts/with-keychain.js). 60 athletes in the finished race: 30 per event, so each
 * event's results take two pages of 25 + 5 athletes.
 */
const label = 'Copernico oficina';
const raceId = 'media-maraton-rio-verde-2026';
const half = `${raceId}:21K`;

const block = (athlete: CopRecord) => (athlete.events as CopRecord[])[0];

describe('Copernico sync through runSync', () => {
  let sim: CopernicoSimulator;
  let core: TestCore;

  beforeEach(async () => {
    sim = await startCopernicoSimulator({ athletesPerRace: 60 });
    // Results cost one call per athlete; the default budget (3,600/h, bursts of 60) would make
    // later tests in this file wait for tokens.
    core = await coreWithAccount({
      provider: 'copernico',
      label,
      baseUrl: sim.url,
      secret: { ...sim.credentials },
      partner: { id: 7, name: 'Cronometrajes Sur' },
      unlimitedRate: true,
    });
  });
  afterEach(async () => {
    core.cleanup();
    await sim.close();
  });

  const count = (sql: string, ...params: unknown[]) => (core.db.prepare(sql).get(...params) as { n: number }).n;
  const race = () => sim.world.races[0];

  it('stores every athlete and result once, per (race, event), with partner and account, never the key', async () => {
    const summary = await runSync(core, { provider: 'copernico', account: label, events: [raceId] });
    expect(summary).toMatchObject({ status: 'success', eventsListed: 3 });
    expect(summary.outcomes.map((o) => [o.eventId, o.kind, o.records])).toEqual([
      [half, 'participants', 30], [half, 'results', 30], [`${raceId}:10K`, 'participants', 30], [`${raceId}:10K`, 'results', 30],
    ]);
    expect(count('SELECT count(*) AS n FROM copernico_participants WHERE timing_partner_id = 7 AND credentials_used = ?', label)).toBe(60);
    expect(count('SELECT count(*) AS n FROM copernico_results')).toBe(60);
    expect(count(`SELECT count(*) AS n FROM unified_results WHERE source_provider = 'copernico'`)).toBe(60);

    for (const athlete of race().athletes) {
      const eventId = `${raceId}:${block(athlete).event}`;
      const row = core.db.prepare(`SELECT status, overall_place, results_time FROM unified_results WHERE event_id = ? AND participant_id = ?`).get(eventId, `${eventId}:${athlete.id}`) as Record<string, unknown>;
      const status = block(athlete).status;
      expect(row.status).toBe(status === 'notstarted' ? 'notstarted' : status);
      if (status === 'finished') {
        const meta = (block(athlete).rankings as Record<string, CopRecord>).Meta;
        expect(row.overall_place).toBe(meta.posNet);
        expect(row.results_time).toMatch(/^\d+:\d{2}:\d{2}\.\d{3}$/);
      } else {
        expect(row.results_time).toBeNull();
      }
    }
    const dump = JSON.stringify(core.db.prepare('SELECT * FROM copernico_participants').all()) + JSON.stringify(core.db.prepare('SELECT * FROM sync_history').all());
    expect(dump).not.toContain(sim.credentials.api_key);
  });

  it('shows consistent gender and age in unified_participants', async () => {
    await runSync(core, { provider: 'copernico', account: label, events: [raceId], kinds: ['participants'] });
    // The app's id of a Copernico runner carries its event (store/runner-id.ts): athlete ids repeat across races.
    const rows = core.db
      .prepare(`SELECT event_id, substr(participant_id, length(event_id) + 2) AS participant_id, first_name, gender, age FROM unified_participants WHERE source_provider = 'copernico'`)
      .all() as Array<Record<string, unknown>>;
    expect(rows).toHaveLength(60);
    const byId = new Map(race().athletes.map((a) => [a.id, a]));
    for (const row of rows) {
      const athlete = byId.get(row.participant_id as string)!;
      expect(row.gender).toBe(athlete.gender === 'male' ? 'M' : 'F');
      const [y, m, d] = String(athlete.birthdate).split('-').map(Number);
      expect(row.age).toBe(2026 - y - (m > 11 || (m === 11 && d > 15) ? 1 : 0));
    }
    expect(rows.some((r) => r.first_name === 'Émilie')).toBe(true);
  });

  it('re-syncs changes without duplicates (Copernico has no incremental filter: a full re-pull)', async () => {
    await runSync(core, { provider: 'copernico', account: label, events: [raceId] });
    const [first] = race().athletes;
    sim.updateAthlete(raceId, String(first.id), { surname: "Dell'Acqua" }, { dorsal: 4242 });
    const added = sim.addAthlete(raceId, '21K');

    await runSync(core, { provider: 'copernico', account: label, events: [raceId] });
    expect(count('SELECT count(*) AS n FROM copernico_participants')).toBe(61);
    expect(core.db.prepare('SELECT bib_number, last_name FROM copernico_participants WHERE participant_id = ?').get(first.id)).toEqual({ bib_number: '4242', last_name: "Dell'Acqua" });
    expect(count('SELECT count(*) AS n FROM copernico_results WHERE participant_id = ?', added.id)).toBe(1);

    await runSync(core, { provider: 'copernico', account: label, events: [raceId], full: true });
    expect(count('SELECT count(*) AS n FROM copernico_participants')).toBe(61);
    expect(count('SELECT count(*) AS n FROM copernico_results')).toBe(61);
  });

  it('stores nothing when Copernico refuses the key', async () => {
    sim.credentials.api_key = 'rotated-key';
    const error = await runSync(core, { provider: 'copernico', account: label }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RaceDeskError);
    expect((error as RaceDeskError).code).toBe('auth_failed');
    expect((error as RaceDeskError).message).toContain('Copernico refused the API key of account');
    expect(count('SELECT count(*) AS n FROM copernico_events') + count('SELECT count(*) AS n FROM copernico_participants')).toBe(0);
  });

  it('stores every result when one athlete has an unreadable start time, and records the run as partial with the problem', async () => {
    const halfAthletes = race().athletes.filter((a) => block(a).event === '21K');
    const bad = halfAthletes.slice(25).find((a) => block(a).status !== 'notstarted')!;
    block(bad).startRawTime = 'pronto';
    const summary = await runSync(core, { provider: 'copernico', account: label, events: [half] });
    expect(summary.outcomes).toEqual([
      expect.objectContaining({ kind: 'participants', status: 'success', records: 30 }),
      expect.objectContaining({ kind: 'results', status: 'partial', records: 30, errorCode: null }),
    ]);
    expect(count('SELECT count(*) AS n FROM copernico_results')).toBe(30);
    const row = core.db.prepare(`SELECT status, records_processed, error_message FROM sync_history WHERE sync_type = 'results'`).get() as Record<string, unknown>;
    expect(row).toMatchObject({ status: 'partial', records_processed: 30 });
    expect(core.db.prepare('SELECT record_id, raw_value, problem FROM sync_problems').all()).toEqual([
      { record_id: bad.id, raw_value: '"pronto"', problem: expect.stringContaining(`results page 2: athlete ${bad.id} has startRawTime "pronto"`) },
    ]);
  });

  it('re-syncs a race after it left the race list, fetched by its id, and picks up a changed athlete', async () => {
    await runSync(core, { provider: 'copernico', account: label, events: [half], kinds: ['participants'] });
    sim.delistRace(raceId);
    const athlete = race().athletes.find((a) => block(a).event === '21K')!;
    sim.updateAthlete(raceId, athlete.id as string, { surname: 'Corregido' });
    const summary = await runSync(core, { provider: 'copernico', account: label, events: [half], kinds: ['participants'] });
    expect(summary.outcomes).toEqual([expect.objectContaining({ eventId: half, status: 'success', records: 30 })]);
    expect(core.db.prepare('SELECT last_name FROM copernico_participants WHERE event_id = ? AND participant_id = ?').get(half, athlete.id)).toEqual({
      last_name: 'Corregido',
    });
  });
});

describe('Copernico sync with a published results preset', () => {
  let sim: CopernicoSimulator;
  let core: TestCore;
  beforeEach(async () => {
    sim = await startCopernicoSimulator({ athletesPerRace: 60 });
    // The default allowance: with the preset, results no longer need a call per athlete.
    core = await coreWithAccount({ provider: 'copernico', label, baseUrl: sim.url, secret: { ...sim.credentials, ...simulatorPreset } });
  });
  afterEach(async () => {
    core.cleanup();
    await sim.close();
  });

  it('stores every result of the race from one export call per event', async () => {
    const summary = await runSync(core, { provider: 'copernico', account: label, events: [raceId] });
    expect(summary.status).toBe('success');
    expect(sim.requests.filter((r) => r.path.includes('/preset/')).map((r) => r.status)).toEqual([200, 200]);
    expect(sim.requests.filter((r) => r.path.includes('/athlete/'))).toHaveLength(0);
    for (const athlete of sim.world.races[0].athletes) {
      const row = core.db
        .prepare(`SELECT status, overall_place, results_time FROM unified_results WHERE event_id = ? AND participant_id = ?`)
        .get(`${raceId}:${block(athlete).event}`, `${raceId}:${block(athlete).event}:${athlete.id}`) as Record<string, unknown>;
      expect(row.status).toBe(block(athlete).status);
      const meta = (block(athlete).rankings as Record<string, CopRecord>).Meta;
      expect(row.overall_place).toBe(block(athlete).status === 'finished' ? meta.posNet : null);
    }
  });
});
