import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { collectPages, connectSession } from '../../../helpers/provider-session.ts';
import { makeRunSignUpDataset } from '../../../../src-main/datasets/runsignup.ts';
import { defineRunSignUp, runsignup } from '../../../../src-main/core/providers/runsignup/definition.ts';
import { participantSchema } from '../../../../src-main/core/providers/runsignup/mapping.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../../src-main/simulators/runsignup.ts';
import type { ProviderEvent, ProviderSession } from '../../../../src-main/core/providers/types.ts';
import { startSimulator } from '../../../../src-main/simulators/kit.ts';
import { recordsPerStep } from '../../../../src-main/core/event-loop.ts';
import { callsPerTurn } from '../../../helpers/event-loop-turns.ts';

const key = { api_key: 'timer-key-abc', api_secret: 'timer-secret-xyz' };

function session(sim: { url: string }, secret = key, participantPageSize = 10): ProviderSession {
  return connectSession(defineRunSignUp({ participantPageSize, racePageSize: 2 }), { baseUrl: sim.url, secret, accountLabel: 'Office laptop', timingPartnerId: 42 });
}

describe('RunSignUp definition', () => {
  it('declares its secret fields, secret params and tables', () => {
    expect(runsignup.name).toBe('runsignup');
    expect(runsignup.secretFields).toEqual([
      { key: 'api_key', label: 'API key', secret: false },
      { key: 'api_secret', label: 'API secret', secret: true },
    ]);
    expect(runsignup.secretParams).toEqual(['api_key', 'api_secret', 'tmp_key', 'tmp_secret', 'rsu_api_key', 'x-rsu-api-secret', 'refresh_token', 'code', 'code_verifier']);
    expect(runsignup.tables).toEqual({
      events: { table: 'runsignup_events', key: ['event_id'] },
      participants: { table: 'runsignup_participants', key: ['registration_id'] },
      removals: { table: 'runsignup_removed_registrations', key: ['registration_id'] },
    });
    expect(runsignup.secretSchema.safeParse({ api_key: 'a', api_secret: '' }).success).toBe(false);
  });
});

describe('RunSignUp session against the simulator', () => {
  let sim: RunSignUpSimulator;
  beforeEach(async () => {
    sim = await startRunSignUpSimulator({
      // 3 races so the race list takes two pages of 2; 25 people per event = pages of 10, 10, 5.
      dataset: makeRunSignUpDataset({ seed: 11, races: 3, eventsPerRace: 2, participantsPerEvent: 25 }),
      credentials: [key],
    });
  });
  afterEach(() => sim.close());

  const firstEvent = async (s: ProviderSession): Promise<ProviderEvent> => (await s.listEvents())[0];

  it('verifies good credentials with one cheap call', async () => {
    await session(sim).verifyCredentials();
    expect(sim.requests).toHaveLength(1);
    expect(sim.requests[0].query.get('results_per_page')).toBe('1');
    expect(sim.requests[0].query.get('format')).toBe('json');
  });

  it('refuses a bad key with auth_failed and an actionable message, never echoing the secret', async () => {
    const attempt = session(sim, { api_key: 'timer-key-abc', api_secret: 'wrong-secret' }).verifyCredentials();
    await expect(attempt).rejects.toMatchObject({
      code: 'auth_failed',
      message: 'RunSignUp refused the API key and secret (error 6: Key authentication failed). Check them in Settings.',
    });
    await expect(session(sim, { api_key: 'x', api_secret: 'y' }).listEvents()).rejects.toMatchObject({ code: 'auth_failed' });
  });

  it('lists one event per RunSignUp event across race pages, with race as group', async () => {
    const events = await session(sim).listEvents();
    expect(events).toHaveLength(6);
    expect(sim.requests.filter((r) => r.path.endsWith('/races'))).toHaveLength(2);
    const lakeside = events.find((e) => e.groupName === 'Lakeside Turkey Trot')!;
    expect(lakeside).toMatchObject({ name: '5K', groupId: String(sim.dataset.races[1].race.race_id) });
    expect(lakeside.rows[0]).toMatchObject({
      race_name: 'Lakeside Turkey Trot',
      event_id: Number(lakeside.eventId),
      credentials_used: 'Office laptop',
      timing_partner_id: 42,
    });
    // Event times are wall-clock at the race; the race names its zone, so they are stored as instants.
    expect(lakeside.startsAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:00\.000Z$/);
    for (const request of sim.requests) {
      expect(request.query.get('events')).toBe('T');
      expect(request.query.get('only_partner_races')).toBe('T');
    }
  });

  it('reads a large page in steps, letting the event loop run between them', async () => {
    const records = 2 * recordsPerStep + 50;
    const big = await startRunSignUpSimulator({
      dataset: makeRunSignUpDataset({ seed: 12, races: 1, eventsPerRace: 1, participantsPerEvent: records }),
      credentials: [key],
    });
    // Every record is read once through the participant schema.
    const conversions = vi.spyOn(participantSchema, 'safeParse');
    try {
      const s = session(big, key, 1000);
      const event = await firstEvent(s);
      conversions.mockClear();
      const { result: pages, perTurn } = await callsPerTurn(conversions, () => collectPages(s.participantPages(event, { since: null })));
      expect(pages.map((p) => p.rows.length)).toEqual([records]);
      expect(conversions).toHaveBeenCalledTimes(records);
      // Spread over one turn per step: none reads more than one step's records.
      expect(perTurn).toEqual([recordsPerStep, recordsPerStep, 50]);
    } finally {
      conversions.mockRestore();
      await big.close();
    }
  });

  it('pages through every participant of an event and stops on the short page', async () => {
    const s = session(sim);
    const event = await firstEvent(s);
    const pages = await collectPages(s.participantPages(event, { since: null }));
    expect(pages.map((p) => [p.page, p.rows.length])).toEqual([
      [1, 10],
      [2, 10],
      [3, 5],
    ]);
    const expected = sim.dataset.participants.filter((p) => String(p.event_id) === event.eventId);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.registration_id));
    expect(ids).toEqual(expected.map((p) => p.registration_id).sort((a, b) => a - b));
    const newest = Math.max(...expected.map((p) => p.last_modified));
    expect(pages.at(-1)!.cursorAfter).toBe(String(newest));
    const participantCalls = sim.requests.filter((r) => r.path.endsWith('/participants'));
    expect(participantCalls.map((r) => r.query.get('sort'))).toEqual(['registration_id', 'registration_id', 'registration_id']);
    expect(participantCalls[0].query.get('include_questions')).toBe('T');
    expect(participantCalls[0].query.get('modified_after_timestamp')).toBeNull();
  });

  it('skips no registration when one is refunded in the middle of a full sync', async () => {
    const s = session(sim);
    const event = await firstEvent(s);
    const people = sim.dataset.participants.filter((p) => String(p.event_id) === event.eventId);
    const seen: number[] = [];
    const deleted: unknown[] = [];
    for await (const page of s.participantPages(event, { since: null })) {
      seen.push(...page.rows.map((r) => r.registration_id as number));
      deleted.push(...(page.deletedKeys ?? []));
      // A refund of someone already fetched would shift page 2 by one with page-number paging.
      if (page.page === 1) sim.removeParticipant(people[0].registration_id);
    }
    expect(seen).toEqual(people.map((p) => p.registration_id).sort((a, b) => a - b));
    expect(deleted).toEqual([{ registration_id: people[0].registration_id }]);
  });

  it('fetches only changes since the cursor, and the removed registrations as deleted keys', async () => {
    const s = session(sim);
    const event = await firstEvent(s);
    const full = await collectPages(s.participantPages(event, { since: null }));
    const cursor = full.at(-1)!.cursorAfter!;
    const people = sim.dataset.participants.filter((p) => String(p.event_id) === event.eventId);
    const changed = sim.updateParticipant(people[3].registration_id, { bib_num: '777', user: { last_name: 'Núñez' } });
    const added = sim.addParticipant({ event_id: Number(event.eventId), user: { first_name: "Zoë", last_name: "O'Brien" } });
    const removed = sim.removeParticipant(people[5].registration_id, 'Refunded');

    const incremental = await collectPages(s.participantPages(event, { since: cursor }));
    const rows = incremental.flatMap((p) => p.rows);
    // RunSignUp's comparison is >=: records stamped exactly at the cursor come again (and upsert harmlessly).
    expect(rows.every((r) => (r.last_modified as number) >= Number(cursor))).toBe(true);
    const byId = new Map(rows.map((r) => [r.registration_id, r]));
    expect(byId.get(changed.registration_id)).toMatchObject({ bib_num: '777', last_name: 'Núñez' });
    expect(byId.get(added.registration_id)).toMatchObject({ first_name: 'Zoë', last_name: "O'Brien" });
    expect(byId.has(removed.registration_id)).toBe(false);
    expect(rows.length).toBeLessThanOrEqual(2 + people.filter((p) => p.last_modified === Number(cursor)).length);
    expect(incremental.flatMap((p) => p.deletedKeys ?? [])).toEqual([{ registration_id: removed.registration_id }]);
    expect(incremental.at(-1)!.cursorAfter).toBe(String(added.last_modified));
    const calls = sim.requests.filter((r) => r.path.endsWith('/participants') || r.path.endsWith('/removed-participants')).slice(-2);
    expect(calls.map((c) => c.query.get('modified_after_timestamp'))).toEqual([cursor, cursor]);
  });

  it('keeps the cursor when nothing changed', async () => {
    const s = session(sim);
    const event = await firstEvent(s);
    const pages = await collectPages(s.participantPages(event, { since: '4000000000' }));
    expect(pages).toEqual([{ rows: [], page: 1, cursorAfter: '4000000000' }]);
  });

  it('rides out a 429 through the HTTP client', async () => {
    const s = session(sim);
    const event = await firstEvent(s);
    sim.faults.rateLimitNext = 1;
    const pages = await collectPages(s.participantPages(event, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(25);
    expect(sim.requests.filter((r) => r.status === 429)).toHaveLength(1);
  });

  it('stores a page with an odd record, reporting the event, page, registration, field and value', async () => {
    const s = session(sim);
    const event = await firstEvent(s);
    sim.corruptPage(Number(event.eventId), 2);
    const pages = await collectPages(s.participantPages(event, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(25);
    expect(pages[0].problems).toBeUndefined();
    expect(pages[1].problems?.map((p) => p.problem)).toEqual([
      expect.stringMatching(new RegExp(`^RunSignUp event ${event.eventId}, page 2: registration \\d+: registration_date is not a date "M/D/YYYY HH:MM" \\(stored as NULL\\)\\.$`)),
      expect.stringMatching(/race_fee is not an amount like "\$30\.00" \(stored as NULL\)\.$/),
    ]);
  });

  it('reports a race the key cannot see as not found with RunSignUp’s message', async () => {
    const s = session(sim);
    const event = { ...(await firstEvent(s)), groupId: '999999' };
    await expect(collectPages(s.participantPages(event, { since: null }))).rejects.toMatchObject({
      code: 'not_found',
      message: expect.stringContaining('do not have access'),
    });
  });
});

describe('RunSignUp session against answers of the wrong shape', () => {
  it('rejects a participants answer that is not the per-event array', async () => {
    const [race] = makeRunSignUpDataset({ seed: 2, races: 1, eventsPerRace: 1, participantsPerEvent: 1 }).races;
    const odd = await startSimulator({
      prefix: '/Rest',
      route: (request) =>
        request.path.endsWith('/races')
          ? { body: { races: [{ race: { ...race.race, events: race.events } }] } }
          : { body: { participants: [] } },
    });
    try {
      const s = session(odd);
      const [event] = await s.listEvents();
      await expect(collectPages(s.participantPages(event, { since: null }))).rejects.toMatchObject({
        code: 'provider_error',
        message: `RunSignUp event ${event.eventId}, page 1: expected a list of events with participants, got an object with participants.`,
      });
    } finally {
      await odd.close();
    }
  });
});
