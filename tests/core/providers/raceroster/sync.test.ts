import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, type TestCore } from '../../../helpers/core.ts';
import { coreWithAccount } from '../../../helpers/provider-session.ts';
import { dispatch } from '../../../../src-main/core/api/dispatch.ts';
import { accountKey } from '../../../../src-main/core/credentials/keychain.ts';
import { startRaceRosterSimulator, type RaceRosterSimulator } from '../../../../src-main/simulators/raceroster.ts';
import { toUtcIso } from '../../../../src-main/core/providers/raceroster/mapping.ts';
import { readCursor } from '../../../../src-main/core/sync/cursors.ts';
import { runSync } from '../../../../src-main/core/sync/run-sync.ts';

/*
 * End to end through the generic runner, the real SQLite store and the real OS keychain (run
 * inside scripts/with-keychain.js). Two events of two sub-events with 6 registrations each,
 * served 4 per page: 3 pages per event.
 */
const label = 'Maple Ridge timing';
const harvest = 48213;

describe('Race Roster sync through runSync', () => {
  let simulator: RaceRosterSimulator;
  let core: TestCore;

  beforeEach(async () => {
    simulator = await startRaceRosterSimulator({ participantsPerSubEvent: 6, maxPageSize: 4 });
    core = await coreWithAccount({ provider: 'raceroster', label, baseUrl: simulator.url, secret: simulator.secret, unlimitedRate: true });
  });
  afterEach(async () => {
    core.cleanup();
    await simulator.close();
  });

  const count = (sql: string, ...params: unknown[]) => (core.db.prepare(sql).get(...params) as { n: number }).n;
  const cursor = (eventId: number) => readCursor(core.db, { provider: 'raceroster', account: label, syncType: 'participants', eventId: String(eventId) });

  it('stores every sub-event and registration once, with the partner and account, never the secret', async () => {
    const summary = await runSync(core, { provider: 'raceroster', account: label });
    expect(summary).toMatchObject({ status: 'success', eventsListed: 2 });
    expect(summary.outcomes.map((o) => [o.eventId, o.status, o.records])).toEqual([
      ['48517', 'success', 12],
      ['48213', 'success', 12],
    ]);
    expect(simulator.sim.requests.filter((r) => r.path === `/api/v1/events/${harvest}/participants` && r.query.get('limit') !== '1').map((r) => r.query.get('offset'))).toEqual(['0', '4', '8']);
    expect(core.db.prepare('SELECT event_id, race_id, name, current_participants FROM raceroster_events ORDER BY event_id, race_id').all()).toEqual([
      { event_id: 48213, race_id: 131077, name: 'Maple Ridge Harvest Run 2027 › Half Marathon', current_participants: 6 },
      { event_id: 48213, race_id: 131078, name: 'Maple Ridge Harvest Run 2027 › 5K', current_participants: 6 },
      { event_id: 48517, race_id: 132201, name: 'Lakeshore Sprint Triathlon & Relay › Individual', current_participants: 6 },
      { event_id: 48517, race_id: 132202, name: 'Lakeshore Sprint Triathlon & Relay › Relay Team', current_participants: 6 },
    ]);
    expect(count('SELECT count(DISTINCT registration_id) AS n FROM raceroster_participants')).toBe(24);
    expect(count('SELECT count(*) AS n FROM raceroster_participants WHERE timing_partner_id = 7 AND credentials_used = ?', label)).toBe(24);
    const dump = JSON.stringify(core.db.prepare('SELECT * FROM raceroster_participants').all());
    for (const secret of Object.values(simulator.secret)) expect(dump).not.toContain(secret);
    const newest = [...simulator.dataset.participants.get(harvest)!].map((p) => toUtcIso(p.lastModifiedDate)!).sort().at(-1);
    expect(cursor(harvest)).toBe(newest);
  });

  it('shows consistent gender, age and city/state in unified_participants', async () => {
    await runSync(core, { provider: 'raceroster', account: label });
    const unified = core.db
      .prepare(`SELECT participant_id, gender, age, city, state, bib_number FROM unified_participants WHERE source_provider = 'raceroster'`)
      .all() as Array<{ participant_id: string; gender: string | null; age: number | null; city: string; state: string; bib_number: string | null }>;
    expect(unified).toHaveLength(24);
    const expectedGender: Record<number, string | null> = { 0: null, 1: 'M', 2: 'F', 8: null, 9: 'X' };
    const seen = new Set<string | null>();
    for (const event of simulator.dataset.events.filter((e) => e.organiserId === 1)) {
      for (const p of simulator.dataset.participants.get(event.eventId)!) {
        const row = unified.find((u) => u.participant_id === String(p.participantId))!;
        const subEvent = event.subEvents.data.find((s) => s.subEventId === p.subEventId)!;
        const day = toUtcIso(String(subEvent.customSubEventDate ?? event.startDate))!.slice(0, 10);
        const dob = String(p.dob);
        const age = dob ? Number(day.slice(0, 4)) - Number(dob.slice(0, 4)) - (day.slice(5) < dob.slice(5) ? 1 : 0) : null;
        expect(row, `registration ${p.participantId}`).toEqual({
          participant_id: String(p.participantId),
          gender: expectedGender[p.gender as number],
          age,
          city: p.city,
          state: (p.region as { code: string }).code,
          bib_number: p.bibNumber === null ? null : String(p.bibNumber),
        });
        seen.add(row.gender);
      }
    }
    // A relay team (code 8) is not a man: the data set has teams, and they fold to NULL.
    expect(count(`SELECT count(*) AS n FROM raceroster_participants WHERE gender = 'co-ed'`)).toBe(6);
    expect(seen.has('M') && seen.has('F')).toBe(true);
  });

  it('re-syncs only what changed since the cursor, without duplicates, and a full re-pull adds none', async () => {
    await runSync(core, { provider: 'raceroster', account: label });
    const first = cursor(harvest)!;
    const someone = simulator.dataset.participants.get(harvest)![2];
    simulator.updateParticipant(harvest, someone.participantId, { bibNumber: 4242, profile: { email: 'new@example.com', address: '1 Main St', phone: '519-555-0000' } });
    const added = simulator.addParticipant(harvest, 131078, { firstName: 'Zoë', lastName: "O'Connor-Núñez", bibNumber: 7001 });
    const before = simulator.sim.requests.length;

    const summary = await runSync(core, { provider: 'raceroster', account: label, events: [String(harvest)] });
    expect(summary.status).toBe('success');
    const calls = simulator.sim.requests.slice(before).filter((r) => r.path.endsWith('/participants') && r.query.get('limit') !== '1');
    expect(calls.map((c) => c.query.get('lastModifiedDate'))).toEqual([first]);
    // The two changes, plus the registration modified exactly at the old cursor (>= is inclusive).
    expect(summary.outcomes[0].records).toBe(3);
    expect(count('SELECT count(*) AS n FROM raceroster_participants')).toBe(25);
    expect(core.db.prepare('SELECT bib_number, email FROM raceroster_participants WHERE registration_id = ?').get(someone.participantId)).toEqual({
      bib_number: '4242',
      email: 'new@example.com',
    });
    expect(core.db.prepare('SELECT first_name, last_name, race_id FROM raceroster_participants WHERE registration_id = ?').get(added.participantId)).toEqual({
      first_name: 'Zoë',
      last_name: "O'Connor-Núñez",
      race_id: 131078,
    });
    expect(cursor(harvest)! > first).toBe(true);

    const full = await runSync(core, { provider: 'raceroster', account: label, full: true });
    expect(full.status).toBe('success');
    expect(count('SELECT count(*) AS n FROM raceroster_participants')).toBe(25);
    const hits = (await call(core, 'lookup.search', { query: 'zoe oconnor' })).rows;
    expect(hits.map((h: { participant_id: string }) => h.participant_id)).toContain(String(added.participantId));
  });

  it('stores every other participant when one has no readable sub-event id, and reports the skipped one', async () => {
    simulator.corruptParticipant(harvest, 6);
    const summary = await runSync(core, { provider: 'raceroster', account: label });
    expect(summary.status).toBe('partial');
    const outcome = summary.outcomes.find((o) => o.eventId === String(harvest))!;
    const total = simulator.dataset.participants.get(harvest)!.length;
    expect(outcome).toMatchObject({ status: 'partial', records: total - 1, errorCode: null });
    expect(outcome.error).toBe('1 record was skipped; see the problems listed with this run.');
    expect(count('SELECT count(*) AS n FROM raceroster_participants WHERE event_id = ?', harvest)).toBe(total - 1);
    expect(core.db.prepare('SELECT field, skipped, problem FROM sync_problems').all()).toEqual([
      { field: 'subEventId', skipped: 1, problem: expect.stringMatching(/^Race Roster event 48213, participants page 2: participant \d+ was skipped: subEventId /) },
    ]);
    expect(cursor(harvest)).not.toBeNull();
  });

  it('stores nothing when Race Roster refuses the credentials, and says what to check', async () => {
    await core.credentials.set(accountKey('raceroster', label), { ...simulator.secret, password: 'changed-last-week' });
    const result = await dispatch(core, 'sync.run', { provider: 'raceroster', account: label });
    expect(result).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    if (result.ok) return;
    expect(result.error.message).toContain(`Race Roster refused the credentials of account "${label}" (The user credentials were incorrect.`);
    expect(result.error.message).toContain('Check client_id and client_secret');
    expect(count('SELECT count(*) AS n FROM raceroster_events')).toBe(0);
    expect(count('SELECT count(*) AS n FROM raceroster_participants')).toBe(0);
    expect(core.db.prepare('SELECT status FROM sync_history').all()).toEqual([{ status: 'failed' }]);
  });
});
