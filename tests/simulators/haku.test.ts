import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHakuDataset } from '../../src-main/datasets/haku.ts';
import { startHakuSimulator, type HakuSimulator } from '../../src-main/simulators/haku.ts';

const fixture = (name: string) => JSON.parse(readFileSync(new URL(`../core/providers/haku/fixtures/${name}`, import.meta.url), 'utf8'));
let simulator: HakuSimulator | null = null;
afterEach(async () => {
  await simulator?.close();
  simulator = null;
});

async function token(clientId: string, clientSecret: string) {
  const response = await fetch(`${simulator!.url}/oauth2/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`,
    },
    body: 'grant_type=client_credentials',
  });
  return { status: response.status, body: await response.json() };
}

describe('Haku simulator', () => {
  it('builds the same data set from the same seed, small by default and a few hundred for demo mode', () => {
    expect(JSON.stringify([...createHakuDataset({ seed: 4 }).registrations])).toBe(JSON.stringify([...createHakuDataset({ seed: 4 }).registrations]));
    const total = (d: ReturnType<typeof createHakuDataset>) => [...d.registrations.values()].reduce((n, list) => n + list.length, 0);
    expect(total(createHakuDataset())).toBeLessThan(50);
    const demo = createHakuDataset({ registrationsPerEvent: 150 });
    expect(total(demo)).toBeGreaterThanOrEqual(300);
    const names = [...demo.registrations.values()].flat().map((r) => `${r.participant.first_name} ${r.participant.last_name}`).join(' ');
    expect(names).toMatch(/[éëñçł]/);
    expect(names).toContain("'");
  });

  it('answers like the fixtures: Cognito token and error, raw or Bearer token, field sets', async () => {
    simulator = await startHakuSimulator();
    const granted = await token(simulator.secret.client_id, simulator.secret.client_secret);
    expect(granted.status).toBe(200);
    expect(Object.keys(granted.body).sort()).toEqual(Object.keys(fixture('oauth_token.json')).sort());
    expect(await token(simulator.secret.client_id, 'nope')).toEqual({ status: 400, body: fixture('oauth_token_error.json') });

    const anonymous = await fetch(`${simulator.url}/events`);
    expect([anonymous.status, await anonymous.json()]).toEqual([401, fixture('error_401.json')]);

    const raw = { authorization: granted.body.access_token };
    const events = await (await fetch(`${simulator.url}/events?show_inactive=true`, { headers: raw })).json();
    expect(Object.keys(events.events[0]).sort()).toEqual(Object.keys(fixture('events_list.json').events[0]).sort());
    expect(Object.keys(events.meta).sort()).toEqual(Object.keys(fixture('events_list.json').meta).sort());

    const bearer = { authorization: `Bearer ${granted.body.access_token}` };
    const listed = await (await fetch(`${simulator.url}/events/${events.events[0].id}/participants`, { headers: bearer })).json();
    expect(Object.keys(listed.participants[0]).sort()).toEqual(Object.keys(fixture('event_participants.json').participants[0]).sort());
    const number = listed.participants[0].registration_number;
    const detail = await (await fetch(`${simulator.url}/events/${events.events[0].id}/registrations/${number}`, { headers: raw })).json();
    for (const key of ['registration_number', 'created_at', 'updated_at', 'is_cancelled', 'transaction_amount', 'participant', 'event_categories']) {
      expect(detail, key).toHaveProperty(key);
    }
    expect(Object.keys(detail.participant.address).sort()).toEqual(Object.keys(fixture('registration_detail.json').participant.address).sort());

    expect((await fetch(`${simulator.url}/events/0f1e2d3c4b5a69788796/participants`, { headers: raw })).status).toBe(403);
    expect((await fetch(`${simulator.url}/events/${events.events[0].id}/registrations/R-1`, { headers: raw })).status).toBe(404);
  });
});
