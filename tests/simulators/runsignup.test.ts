import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeRunSignUpDataset } from '../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../src-main/simulators/runsignup.ts';

const key = { api_key: 'k-123', api_secret: 's-456' };
const auth = `api_key=${key.api_key}&api_secret=${key.api_secret}&format=json`;

async function get(url: string): Promise<{ status: number; body: any; text: string }> {
  const response = await fetch(url);
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: response.status, body, text };
}

describe('makeRunSignUpDataset', () => {
  it('is deterministic for a seed and differs across seeds', () => {
    const a = makeRunSignUpDataset({ seed: 5 });
    expect(makeRunSignUpDataset({ seed: 5 })).toEqual(a);
    expect(makeRunSignUpDataset({ seed: 6 }).participants[0]).not.toEqual(a.participants[0]);
  });

  it('has the names, gaps and quirks a pickup desk meets', () => {
    const data = makeRunSignUpDataset({ seed: 1, races: 3, eventsPerRace: 2, participantsPerEvent: 120 });
    expect(data.races).toHaveLength(3);
    expect(data.participants).toHaveLength(720);
    const names = data.participants.map((p) => `${p.user.first_name} ${p.user.last_name}`);
    expect(names.some((n) => /[ñüøéëá]/i.test(n))).toBe(true);
    expect(names.some((n) => n.includes("'"))).toBe(true);
    expect(new Set(names).size).toBeLessThan(names.length);
    expect(data.participants.some((p) => p.bib_num === null)).toBe(true);
    expect(data.races.some((r) => r.race.name.startsWith(' '))).toBe(true);
    const ids = data.participants.map((p) => p.registration_id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('can make a demo-sized dataset', () => {
    expect(makeRunSignUpDataset({ races: 2, eventsPerRace: 2, participantsPerEvent: 800 }).participants).toHaveLength(3200);
  });
});

describe('RunSignUp simulator answers like the real API', () => {
  let sim: RunSignUpSimulator;
  beforeEach(async () => {
    sim = await startRunSignUpSimulator({
      dataset: makeRunSignUpDataset({ seed: 3, races: 2, eventsPerRace: 2, participantsPerEvent: 7 }),
      credentials: [key, { api_key: 'other', api_secret: 'x', raceIds: [148210] }],
    });
  });
  afterEach(() => sim.close());

  it('refuses a bad key with HTTP 200 and error code 6', async () => {
    const answer = await get(`${sim.url}/races?api_key=nope&api_secret=nope&format=json`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ error: { error_code: 6, error_msg: 'Key authentication failed' } });
  });

  it('answers XML unless format=json is sent', async () => {
    const answer = await get(`${sim.url}/races?api_key=${key.api_key}&api_secret=${key.api_secret}`);
    expect(answer.text.startsWith('<?xml')).toBe(true);
  });

  it('accepts any case of /rest and a trailing slash', async () => {
    const origin = sim.url.replace(/\/Rest$/, '');
    for (const path of ['/rest/races', '/REST/races/', '/Rest/races']) {
      expect((await get(`${origin}${path}?${auth}&events=T`)).body.races).toHaveLength(2);
    }
  });

  it('wraps each race in a "race" key and pages the race list', async () => {
    const first = await get(`${sim.url}/races?${auth}&events=T&results_per_page=1&page=1`);
    expect(first.body.races).toHaveLength(1);
    expect(first.body.races[0].race.events).toHaveLength(2);
    const withoutEvents = await get(`${sim.url}/races?${auth}&results_per_page=1&page=2`);
    expect(withoutEvents.body.races[0].race.race_id).not.toBe(first.body.races[0].race.race_id);
    expect(withoutEvents.body.races[0].race.events).toBeUndefined();
    expect((await get(`${sim.url}/races?${auth}&results_per_page=1&page=3`)).body.races).toEqual([]);
  });

  it('lists participants as an array with one element per event, paged by registration_id', async () => {
    const race = sim.dataset.races[0];
    const eventId = race.events[0].event_id;
    const url = `${sim.url}/race/${race.race.race_id}/participants?${auth}&event_id=${eventId}&sort=registration_id&results_per_page=5`;
    const page1 = await get(`${url}&page=1&include_questions=T`);
    expect(Array.isArray(page1.body)).toBe(true);
    expect(page1.body[0].event.event_id).toBe(eventId);
    expect(page1.body[0].participants).toHaveLength(5);
    expect(page1.body[0].participants[0].question_responses).toBeDefined();
    const page2 = await get(`${url}&page=2`);
    expect(page2.body[0].participants).toHaveLength(2);
    expect(page2.body[0].participants[0].question_responses).toBeUndefined();
    const ids = [...page1.body[0].participants, ...page2.body[0].participants].map((p: any) => p.registration_id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const past = await get(`${url}&page=3`);
    expect(past.body).toEqual([{ event: expect.objectContaining({ event_id: eventId }), participants: [] }]);
    const keyset = await get(`${url}&page=1&after_registration_id=${ids[4]}`);
    expect(keyset.body[0].participants.map((p: any) => p.registration_id)).toEqual(ids.slice(5));
  });

  it('compares modified_after_timestamp inclusively, and reports removals nested in "event"', async () => {
    const race = sim.dataset.races[0];
    const eventId = race.events[0].event_id;
    const [a, b] = sim.dataset.participants.filter((p) => p.event_id === eventId);
    const changed = sim.updateParticipant(a.registration_id, { bib_num: '999' });
    const removed = sim.removeParticipant(b.registration_id, 'Transferred to another event', 61_999_999);
    const base = `${sim.url}/race/${race.race.race_id}`;
    const modified = await get(`${base}/participants?${auth}&event_id=${eventId}&modified_after_timestamp=${changed.last_modified}`);
    expect(modified.body[0].participants.map((p: any) => [p.registration_id, p.bib_num])).toEqual([[a.registration_id, '999']]);
    const gone = await get(`${base}/removed-participants?${auth}&event_id=${eventId}&modified_after_timestamp=${removed.removed_at}`);
    expect(gone.body).toEqual([
      {
        event: {
          event_id: eventId,
          participants: [
            {
              registration_id: b.registration_id,
              removed_reason: 'Transferred to another event',
              new_registration_id: 61_999_999,
              last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
            },
          ],
        },
      },
    ]);
    const later = await get(`${base}/removed-participants?${auth}&event_id=${eventId}&modified_after_timestamp=${removed.removed_at + 1}`);
    expect(later.body[0].event.participants).toEqual([]);
  });

  it('answers an error object for a race the key cannot see', async () => {
    const hidden = sim.dataset.races[1].race.race_id;
    const answer = await get(`${sim.url}/race/${hidden}?api_key=other&api_secret=x&format=json`);
    expect(answer.status).toBe(200);
    expect(answer.body.error.error_code).toEqual(expect.any(Number));
    expect(answer.body.error.error_msg).toMatch(/access/);
    const visible = await get(`${sim.url}/race/148210?api_key=other&api_secret=x&format=json`);
    expect(visible.body.race.events).toHaveLength(2);
  });

  it('serves an odd-but-legal record on a corrupted page only', async () => {
    const race = sim.dataset.races[0];
    const eventId = race.events[0].event_id;
    sim.corruptPage(eventId, 2);
    const url = `${sim.url}/race/${race.race.race_id}/participants?${auth}&event_id=${eventId}&results_per_page=3`;
    const ok = await get(`${url}&page=1`);
    expect(ok.body[0].participants.every((p: any) => p.race_fee.startsWith('$'))).toBe(true);
    const bad = await get(`${url}&page=2`);
    expect(bad.body[0].participants.filter((p: any) => p.race_fee === 'CA$45.00')).toHaveLength(1);
  });

  it('takes results in both forms of the results API, one row per registrant, and refuses a request with an unknown bib whole', async () => {
    const race = sim.dataset.races[0];
    const eventId = race.events[0].event_id;
    const [a, b] = sim.dataset.participants.filter((p) => p.event_id === eventId && p.bib_num !== null);
    const post = async (path: string, fields: Record<string, string>) => {
      const response = await fetch(`${sim.url}/race/${race.race.race_id}/${path}?${auth}&event_id=${eventId}`, { method: 'POST', body: new URLSearchParams(fields) });
      return response.json();
    };
    // The PHP examples' classic form: request_type in the form of POST Race/{id}/Results.
    const created = await post('Results', { request_format: 'json', request_type: 'new-result-set', request: JSON.stringify({ individual_result_set_name: 'Overall' }) });
    const id = String(created.individual_result_set_id);
    const rows = [{ registration_id: a.registration_id, place: 1, clock_time: '0:20:01.000', chip_time: '0:19:59.500' }, { bib: b.bib_num, clock_time: 'DNF', chip_time: 'DNF' }];
    expect(await post('results/full-results', { request_format: 'json', individual_result_set_id: id, request: JSON.stringify({ results: rows }) })).toEqual({});
    // Posted again: the same two results, updated, not doubled.
    expect(await post('results/full-results', { request_format: 'json', individual_result_set_id: id, request: JSON.stringify({ results: rows }) })).toEqual({});
    const unknown = await post('results/full-results', { request_format: 'json', individual_result_set_id: id, request: JSON.stringify({ results: [{ bib: 'no-such-bib', clock_time: '0:30:00' }, rows[0]] }) });
    expect(unknown).toEqual({ error: { error_code: 104, error_msg: 'First name is required' } });
    const badTime = await post('results/full-results', { request_format: 'json', individual_result_set_id: id, request: JSON.stringify({ results: [{ ...rows[0], chip_time: 'soon' }] }) });
    expect(badTime.error.error_code).toBe(3);
    const sets = await get(`${sim.url}/race/${race.race.race_id}/results/get-results?${auth}&event_id=${eventId}`);
    expect(sets.body.individual_results_sets).toHaveLength(1);
    expect(sets.body.individual_results_sets[0].results.map((r: any) => [r.bib, r.place, r.clock_time, r.chip_time])).toEqual([
      [Number(a.bib_num), 1, '0:20:01.000', '0:19:59.500'],
      [Number(b.bib_num), null, 'DNF', 'DNF'],
    ]);
    expect(await post('results/clear-results', { request_format: 'json', individual_result_set_id: id })).toEqual({});
    const cleared = await get(`${sim.url}/race/${race.race.race_id}/results/get-result-sets?${auth}&event_id=${eventId}`);
    expect(cleared.body.individual_results_sets.map((set: any) => [set.individual_result_set_id, set.results])).toEqual([[Number(id), []]]);
    // A set of another event is not this event's.
    const otherEvent = race.events[1].event_id;
    const response = await fetch(`${sim.url}/race/${race.race.race_id}/results/clear-results?${auth}&event_id=${otherEvent}`, { method: 'POST', body: new URLSearchParams({ request_format: 'json', individual_result_set_id: id }) });
    expect((await response.json()).error.error_code).toBe(15);
  });
});
