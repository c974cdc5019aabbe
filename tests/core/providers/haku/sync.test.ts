import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { call, type TestCore } from '../../../helpers/core.ts';
import { coreWithAccount } from '../../../helpers/provider-session.ts';
import { dispatch } from '../../../../src-main/core/api/dispatch.ts';
import { accountKey } from '../../../../src-main/core/credentials/keychain.ts';
import { startHakuSimulator, type HakuSimulator } from '../../../../src-main/simulators/haku.ts';
import { readCursor } from '../../../../src-main/core/sync/cursors.ts';
import { runSync } from '../../../../src-main/core/sync/run-sync.ts';

/*
 * End to end through the generic runner, the real SQLite store and the real OS keychain (run
 * inside scripts/with-keychain.js). The organization has two events of 8 registrations, listed 3
 * per page (3 pages), each registration read in detail.
 */
const label = 'Windy City Races';
const riverfront = 'e735b096f63aaf72e58d';

describe('Haku sync through runSync', () => {
  let simulator: HakuSimulator;
  let core: TestCore;

  beforeEach(async () => {
    simulator = await startHakuSimulator({ registrationsPerEvent: 8, maxPageSize: 3 });
    // Haku costs one request per registration.
    core = await coreWithAccount({ provider: 'haku', label, baseUrl: simulator.url, secret: simulator.secret, unlimitedRate: true });
  });
  afterEach(async () => {
    core.cleanup();
    await simulator.close();
  });

  const count = (sql: string, ...params: unknown[]) => (core.db.prepare(sql).get(...params) as { n: number }).n;
  const cursor = (eventId: string) => readCursor(core.db, { provider: 'haku', account: label, syncType: 'participants', eventId });

  it('stores every registration once over several pages, with the partner and account, never the secret', async () => {
    const summary = await runSync(core, { provider: 'haku', account: label });
    expect(summary).toMatchObject({ status: 'success', eventsListed: 2 });
    expect(summary.outcomes.map((o) => [o.eventId, o.status, o.records])).toEqual([
      [riverfront, 'success', 8],
      ['c9a8e7f6d5c4b3a2a1b0', 'success', 8],
    ]);
    expect(simulator.sim.requests.filter((r) => r.path === `/events/${riverfront}/participants`).map((r) => r.query.get('page'))).toEqual(['1', '2', '3']);
    expect(core.db.prepare('SELECT event_id, event_name, location FROM haku_events ORDER BY start_date').all()).toEqual([
      { event_id: riverfront, event_name: 'Riverfront 10K 2027', location: 'Grant Park, Chicago, IL, US' },
      { event_id: 'c9a8e7f6d5c4b3a2a1b0', event_name: 'Lakefront Half Marathon & Relay', location: 'Montrose Harbor, Chicago, IL, US' },
    ]);
    // Registration numbers repeat across the two events: each event keeps its own runners.
    expect(count('SELECT count(DISTINCT participant_id) AS n FROM haku_participants')).toBe(8);
    expect(count(`SELECT count(DISTINCT event_id || '/' || participant_id) AS n FROM haku_participants`)).toBe(16);
    expect(count('SELECT count(*) AS n FROM haku_participants WHERE timing_partner_id = 7 AND credentials_used = ?', label)).toBe(16);
    const dump = JSON.stringify(core.db.prepare('SELECT * FROM haku_participants').all());
    expect(dump).not.toContain(simulator.secret.client_secret);
    const newest = simulator.dataset.registrations.get(riverfront)!.map((r) => r.updated_at).sort().at(-1)!;
    expect(cursor(riverfront)).toBe(new Date(newest).toISOString());
  });

  it('shows consistent gender, age and city/state in unified_participants', async () => {
    await runSync(core, { provider: 'haku', account: label, events: [riverfront] });
    const eventDay = String(simulator.dataset.events.find((e) => e.id === riverfront)!.event_date).slice(0, 10);
    const unified = core.db
      .prepare(`SELECT participant_id, gender, age, city, state, bib_number FROM unified_participants WHERE source_provider = 'haku'`)
      .all() as Array<Record<string, unknown>>;
    expect(unified).toHaveLength(8);
    for (const registration of simulator.dataset.registrations.get(riverfront)!) {
      const person = registration.participant as { dob: string; gender: string; address: { city: string; state: string } };
      const age = Number(eventDay.slice(0, 4)) - Number(person.dob.slice(0, 4)) - (eventDay.slice(5) < person.dob.slice(5) ? 1 : 0);
      const tag = (registration.event_categories as Array<{ tag_number: string | null }>)[0].tag_number;
      // A Haku runner's id in the app carries its event (store migration 0083).
      const id = `${riverfront}:${registration.registration_number}`;
      expect(unified.find((u) => u.participant_id === id), registration.registration_number).toEqual({
        participant_id: id,
        gender: person.gender,
        age,
        city: person.address.city,
        state: person.address.state,
        bib_number: tag,
      });
    }
  });

  it('re-syncs only registrations updated since the cursor, without duplicates; a full re-pull adds none', async () => {
    await runSync(core, { provider: 'haku', account: label, events: [riverfront] });
    const first = cursor(riverfront)!;
    const [someone] = simulator.dataset.registrations.get(riverfront)!;
    simulator.updateRegistration(riverfront, someone.registration_number, { is_cancelled: true, participant: { phone: '+1-312-555-7777' } });
    const added = simulator.addRegistration(riverfront, { first_name: 'Siobhán', last_name: "O'Brien-Núñez" });
    const detailsBefore = simulator.sim.requests.filter((r) => r.path.includes('/registrations/')).length;

    const summary = await runSync(core, { provider: 'haku', account: label, events: [riverfront] });
    expect(summary.status).toBe('success');
    // The two changes, plus the registration updated exactly at the old cursor.
    expect(summary.outcomes[0].records).toBe(3);
    expect(simulator.sim.requests.filter((r) => r.path.includes('/registrations/')).length - detailsBefore).toBe(3);
    expect(count('SELECT count(*) AS n FROM haku_participants')).toBe(9);
    expect(core.db.prepare('SELECT phone, payment_status FROM haku_participants WHERE participant_id = ?').get(someone.registration_number)).toEqual({
      phone: '+1-312-555-7777',
      payment_status: 'cancelled',
    });
    expect(cursor(riverfront)! > first).toBe(true);

    await runSync(core, { provider: 'haku', account: label, events: [riverfront], full: true });
    expect(count('SELECT count(*) AS n FROM haku_participants')).toBe(9);
    const hits = (await call(core, 'lookup.search', { query: 'siobhan obrien' })).rows;
    expect(hits.map((h: { participant_id: string }) => h.participant_id)).toContain(`${riverfront}:${added.registration_number}`);
  });

  it('stores every registration when one is odd, and sync_history says partial with the problem', async () => {
    const listOrder = [...simulator.dataset.registrations.get(riverfront)!].sort((a, b) => b.updated_at.localeCompare(a.updated_at));
    const broken = listOrder[4].registration_number;
    simulator.corruptRegistration(riverfront, broken);
    const summary = await runSync(core, { provider: 'haku', account: label, events: [riverfront] });
    expect(summary.outcomes[0]).toMatchObject({ status: 'partial', records: listOrder.length, errorCode: null });
    expect(count('SELECT count(*) AS n FROM haku_participants')).toBe(listOrder.length);
    expect(core.db.prepare(`SELECT status, records_processed FROM sync_history WHERE sync_type = 'participants'`).get()).toEqual({
      status: 'partial',
      records_processed: listOrder.length,
    });
    expect(core.db.prepare('SELECT record_id, field FROM sync_problems').all()).toEqual([{ record_id: broken, field: 'participant' }]);
    expect(cursor(riverfront)).not.toBeNull();
  });

  it('stores nothing when Haku refuses the client, and says what to check', async () => {
    await core.credentials.set(accountKey('haku', label), { ...simulator.secret, client_secret: 'rotated' });
    const result = await dispatch(core, 'sync.run', { provider: 'haku', account: label });
    expect(result).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    if (result.ok) return;
    expect(result.error.message).toContain(`Haku refused the client credentials of account "${label}" (invalid_client)`);
    expect(count('SELECT count(*) AS n FROM haku_events')).toBe(0);
    expect(count('SELECT count(*) AS n FROM haku_participants')).toBe(0);
    expect(core.db.prepare('SELECT status FROM sync_history').all()).toEqual([{ status: 'failed' }]);
  });
});
