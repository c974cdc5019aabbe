import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRaceRosterDataset } from '../../src-main/datasets/raceroster.ts';
import { startRaceRosterSimulator, type RaceRosterSimulator } from '../../src-main/simulators/raceroster.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../core/providers/raceroster/fixtures/${name}`, import.meta.url), 'utf8'));
let simulator: RaceRosterSimulator | null = null;
afterEach(async () => {
  await simulator?.close();
  simulator = null;
});

async function token(form: Record<string, string>) {
  const response = await fetch(new URL('../oauth/authorize', `${simulator!.url}/`), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: await response.json() };
}

describe('Race Roster simulator', () => {
  it('builds the same data set from the same seed, small by default and a few hundred for demo mode', () => {
    expect(JSON.stringify(createRaceRosterDataset({ seed: 3 }).events)).toBe(JSON.stringify(createRaceRosterDataset({ seed: 3 }).events));
    const small = createRaceRosterDataset();
    const demo = createRaceRosterDataset({ participantsPerSubEvent: 80 });
    const total = (d: typeof small) => [...d.participants.values()].reduce((n, list) => n + list.length, 0);
    expect(total(small)).toBeLessThan(50);
    expect(total(demo)).toBeGreaterThanOrEqual(300);
    const names = [...demo.participants.values()].flat().map((p) => `${p.firstName} ${p.lastName}`).join(' ');
    expect(names).toMatch(/[éëñçł]/);
    expect(names).toContain("'");
  });

  it('answers like the fixtures: token envelope, token error, 401 body, field sets', async () => {
    simulator = await startRaceRosterSimulator();
    const { client_id, client_secret, username, password } = simulator.secret;
    const granted = await token({ grant_type: 'access_token', client_id, client_secret, username, password });
    expect(granted.status).toBe(200);
    expect(Object.keys(granted.body.data).sort()).toEqual(Object.keys(fixture('oauth_token.json').data).sort());

    const refused = await token({ grant_type: 'access_token', client_id, client_secret, username, password: 'nope' });
    expect(refused).toEqual({ status: 401, body: fixture('oauth_token_error.json') });

    const anonymous = await fetch(`${simulator.url}/events`);
    expect([anonymous.status, await anonymous.json()]).toEqual([401, fixture('error_401.json')]);

    const authorization = `Bearer ${granted.body.data.access_token}`;
    const events = await (await fetch(`${simulator.url}/events`, { headers: { authorization } })).json();
    const fixtureEvent = fixture('events_list.json').data[0];
    const served = events.data[0];
    for (const key of ['eventId', 'name', 'city', 'region', 'country', 'startDate', 'timeZone', 'lastModifiedDate', 'subEvents']) {
      expect(served, key).toHaveProperty(key);
    }
    expect(Object.keys(served.subEvents.data[0]).sort()).toEqual(Object.keys(fixtureEvent.subEvents.data[0]).sort());
    const participants = await (await fetch(`${simulator.url}/events/${served.eventId}/participants?limit=2`, { headers: { authorization } })).json();
    expect(Object.keys(participants.data[0]).sort()).toEqual(Object.keys(fixture('event_participants.json').data[0]).sort());
    expect(participants.metadata.totalResults).toBeGreaterThan(2);

    const forbidden = await fetch(`${simulator.url}/events/49002`, { headers: { authorization } });
    expect(forbidden.status).toBe(403);
    const missing = await fetch(`${simulator.url}/events/1`, { headers: { authorization } });
    expect(missing.status).toBe(404);
  });

  it('refreshes with a refresh token once, and refuses it the second time', async () => {
    simulator = await startRaceRosterSimulator();
    const { client_id, client_secret, username, password } = simulator.secret;
    const granted = await token({ grant_type: 'access_token', client_id, client_secret, username, password });
    const refresh = { grant_type: 'refresh_token', client_id, client_secret, refresh_token: granted.body.data.refresh_token };
    expect((await token(refresh)).status).toBe(200);
    expect((await token(refresh)).status).toBe(401);
  });
});
