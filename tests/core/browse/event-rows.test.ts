import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { startProviderSimulator } from '../../../src-main/simulators/registry.ts';

/*
 * Race Roster syncs one unified_events row per sub-event (distance) of an event. Each must be a
 * distinct, correctly named row where rows are listed (Browse › Events, the Sync page), and each
 * event one option where an event is picked or counted (pickers, Pickup's counters), with every
 * participant listed once. Synced through the simulator's demo data, as the demo does.
 */
let core: TestCore;

beforeAll(async () => {
  core = createTestCore();
  const sim = await startProviderSimulator('raceroster', { size: 'demo' });
  try {
    await call(core, 'partner.set', { id: 1, name: 'Test Timing' });
    await call(core, 'accounts.add', { provider: 'raceroster', label: 'RR', baseUrl: sim.url, secret: sim.credential });
    const summary = await call(core, 'sync.run', { provider: 'raceroster', account: 'RR' });
    expect(summary.status).toBe('success');
  } finally {
    await sim.close();
  }
});

afterAll(() => core?.cleanup());

interface SubEvent {
  event_id: number;
  race_id: number;
  name: string;
  registered: number;
}

function subEvents(): SubEvent[] {
  return core.db
    .prepare(
      `SELECT e.event_id, e.race_id, e.name, (SELECT count(*) FROM raceroster_participants p WHERE p.race_id = e.race_id) AS registered
       FROM raceroster_events e ORDER BY e.event_id, e.race_id`,
    )
    .all() as SubEvent[];
}

describe('Race Roster sub-events', () => {
  it('the demo data has events with several sub-events (what this test is about)', () => {
    const perEvent = new Map<number, number>();
    for (const s of subEvents()) perEvent.set(s.event_id, (perEvent.get(s.event_id) ?? 0) + 1);
    expect([...perEvent.values()].some((n) => n > 1)).toBe(true);
  });

  it('Browse › Events lists each sub-event once, under its own name, with its own registrations', async () => {
    const { rows, total } = await call(core, 'browse.events', { limit: 1000 });
    const expected = subEvents();
    expect(total).toBe(expected.length);
    expect(rows.map((r) => [r.event_id, r.sub_event_id]).sort()).toEqual(expected.map((s) => [String(s.event_id), String(s.race_id)]).sort());
    for (const s of expected) {
      const row = rows.find((r) => r.sub_event_id === String(s.race_id))!;
      const [event, sub] = s.name.split(' › ');
      expect(row.event_name).toBe(s.name);
      expect(row.event_title).toBe(event);
      // The level above the distance is the event, not the city Race Roster stores beside it.
      expect(row.race_name).toBe(event);
      expect(sub.length).toBeGreaterThan(0);
      expect(row.registered).toBe(s.registered);
    }
    const sorted = await call(core, 'browse.events', { limit: 1000, sort: { column: 'event_name', direction: 'asc' } });
    expect(new Set(sorted.rows.map((r) => `${r.event_id}|${r.sub_event_id}`)).size).toBe(expected.length);
  });

  it('pickers offer each event once, named by the whole event', async () => {
    const { rows } = await call(core, 'browse.eventChoices', {});
    const events = [...new Map(subEvents().map((s) => [s.event_id, s.name.split(' › ')[0]])).entries()];
    expect(rows.map((r) => `${r.source_provider}|${r.event_id}`).sort()).toEqual(events.map(([id]) => `raceroster|${id}`).sort());
    for (const [id, name] of events) expect(rows.find((r) => r.event_id === String(id))?.event_name).toBe(name);
  });

  it('Pickup counts each event once, with all its sub-events’ registrations', async () => {
    const counters = await call(core, 'pickup.counters', {});
    const byEvent = new Map<number, number>();
    for (const s of subEvents()) byEvent.set(s.event_id, (byEvent.get(s.event_id) ?? 0) + s.registered);
    expect(counters.events.map((e) => [e.eventId, e.registered]).sort()).toEqual([...byEvent.entries()].map(([id, n]) => [String(id), n]).sort());
    for (const e of counters.events) expect(e.eventName).not.toContain(' › ');
    expect(counters.total.registered).toBe([...byEvent.values()].reduce((a, b) => a + b, 0));
  });

  it('Browse › Participants lists every registration once, also filtered by event', async () => {
    const all = (core.db.prepare('SELECT count(*) AS n FROM raceroster_participants').get() as { n: number }).n;
    const sorted = await call(core, 'browse.participants', { limit: 1000, sort: { column: 'event_name', direction: 'asc' } });
    expect(sorted.total).toBe(all);
    expect(sorted.rows).toHaveLength(all);
    expect(new Set(sorted.rows.map((r) => r.participant_id)).size).toBe(all);
    const [first] = subEvents();
    const inEvent = await call(core, 'browse.participants', { limit: 1000, sort: { column: 'event_name', direction: 'asc' }, filter: { provider: 'raceroster', eventId: String(first.event_id) } });
    expect(new Set(inEvent.rows.map((r) => r.participant_id)).size).toBe(inEvent.rows.length);
    expect(inEvent.rows.every((r) => r.event_name === first.name.split(' › ')[0])).toBe(true);
  });

  it('lists and counts a walk-up once, in its whole event, however many sub-events it has', async () => {
    const [first] = subEvents();
    const eventId = String(first.event_id);
    const registered = subEvents().filter((s) => s.event_id === first.event_id).reduce((n, s) => n + s.registered, 0);
    const { participant } = await call(core, 'pickup.registerWalkUp', { provider: 'raceroster', eventId, firstName: 'Walk', lastName: 'Up', gender: 'F', dateOfBirth: '1999-04-13', bib: '9001' });
    const filter = { provider: 'raceroster' as const, eventId };
    const listed = await call(core, 'browse.participants', { limit: 1000, sort: { column: 'event_name', direction: 'asc' }, filter });
    expect(listed.rows.filter((r) => r.participant_id === participant.participant_id)).toHaveLength(1);
    expect(listed.total).toBe(registered + 1);
    expect((await call(core, 'pickup.counters', filter)).events[0]).toMatchObject({ registered: registered + 1, walkUps: 1 });
  });

  it('Sync history names the events it synced instead of showing their ids', async () => {
    const history = await call(core, 'history.list', { limit: 100 });
    const withEvent = history.filter((h) => h.eventId !== null);
    expect(withEvent.length).toBeGreaterThan(0);
    const names = new Map(subEvents().map((s) => [String(s.event_id), s.name.split(' › ')[0]]));
    for (const row of withEvent) expect(row.eventName).toBe(names.get(row.eventId!));
  });

  it('the sync queue names the event a job is for', async () => {
    const [first] = subEvents();
    const job = await call(core, 'queue.enqueue', { provider: 'raceroster', account: 'RR', eventId: String(first.event_id) });
    const { jobs } = await call(core, 'queue.list', { statuses: ['pending'] });
    expect(jobs.find((j) => j.id === job.id)?.eventName).toBe(first.name.split(' › ')[0]);
    await call(core, 'queue.cancel', { id: job.id });
  });
});
