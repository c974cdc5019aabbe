import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordsPerStep } from '../../../../src-main/core/event-loop.ts';
import { summarySchema } from '../../../../src-main/core/providers/haku/mapping.ts';
import { callsPerTurn } from '../../../helpers/event-loop-turns.ts';
import { collectPages, connectSession, raceDeskFailure } from '../../../helpers/provider-session.ts';
import { haku } from '../../../../src-main/core/providers/haku/definition.ts';
import { tokenUrlFor } from '../../../../src-main/core/providers/haku/client.ts';
import { startHakuSimulator, type HakuSimulator } from '../../../../src-main/simulators/haku.ts';

let simulator: HakuSimulator;
const riverfront = 'e735b096f63aaf72e58d';

const sessionFor = (secret = simulator.secret) => connectSession(haku, { baseUrl: simulator.url, secret, accountLabel: 'Windy City Races' });

beforeEach(async () => {
  // 8 registrations per event, served 3 at a time: 3 pages.
  simulator = await startHakuSimulator({ registrationsPerEvent: 8, maxPageSize: 3 });
});
afterEach(() => simulator.close());

describe('Haku session', () => {
  it('gets tokens from Cognito in production and from the same origin elsewhere', () => {
    expect(tokenUrlFor('https://api.hakuapp.com')).toBe('https://prod-auth.hakuapp.com/oauth2/token');
    expect(tokenUrlFor('http://127.0.0.1:4000')).toBe('http://127.0.0.1:4000/oauth2/token');
  });

  it("lists only the organization's events", async () => {
    const events = await sessionFor().listEvents();
    expect(events.map((e) => e.eventId)).toEqual([riverfront, 'c9a8e7f6d5c4b3a2a1b0']);
    expect(events[1].rows[0]).toMatchObject({ event_name: 'Lakefront Half Marathon & Relay', distance: 21.082 });
  });

  it('reads every registration in detail over several pages, newest first', async () => {
    const session = sessionFor();
    const [event] = await session.listEvents();
    const pages = await collectPages(session.participantPages(event, { since: null }));
    expect(pages.map((p) => [p.page, p.rows.length, p.pageCount])).toEqual([
      [1, 3, 3],
      [2, 3, 3],
      [3, 2, 3],
    ]);
    const rows = pages.flatMap((p) => p.rows);
    expect(new Set(rows.map((r) => r.participant_id)).size).toBe(8);
    expect(rows.every((r) => r.date_of_birth && r.city)).toBe(true);
    // Summary list: 3 pages; details: 8.
    expect(simulator.sim.requests.filter((r) => r.path.includes('/registrations/'))).toHaveLength(8);
  });

  it('re-reads only registrations updated since the cursor, stopping at the first older one', async () => {
    const session = sessionFor();
    const [event] = await session.listEvents();
    const full = await collectPages(session.participantPages(event, { since: null }));
    const cursor = full[0].cursorAfter!;
    const number = String(full[2].rows[0].participant_id);
    simulator.updateRegistration(riverfront, number, { participant: { phone: '+1-312-555-7777' } });
    const before = simulator.sim.requests.length;
    const incremental = await collectPages(session.participantPages(event, { since: cursor }));
    const rows = incremental.flatMap((p) => p.rows);
    expect(rows[0]).toMatchObject({ participant_id: number, phone: '+1-312-555-7777' });
    // The changed one, plus the one updated exactly at the old cursor.
    expect(rows).toHaveLength(2);
    expect(incremental).toHaveLength(1);
    expect(simulator.sim.requests.length - before).toBe(1 + 2);
    expect(incremental[0].cursorAfter! > cursor).toBe(true);
  });

  it('refuses a wrong client secret with a sentence naming Haku and what to check', async () => {
    const error = await raceDeskFailure(sessionFor({ ...simulator.secret, client_secret: 'nope' }).verifyCredentials());
    expect(error.code).toBe('auth_failed');
    expect(error.message).toContain('Haku refused the client credentials of account "Windy City Races" (invalid_client)');
    expect(error.message).toContain('Check client_id and client_secret');
  });

  it('gets a new token once when the old one expires', async () => {
    const session = sessionFor();
    const [event] = await session.listEvents();
    simulator.expireTokens();
    const rows = (await collectPages(session.participantPages(event, { since: null }))).flatMap((p) => p.rows);
    expect(rows).toHaveLength(8);
    expect(simulator.sim.requests.filter((r) => r.status === 401)).toHaveLength(1);
    expect(simulator.sim.requests.filter((r) => r.path === '/oauth2/token')).toHaveLength(2);
  });

  it('retries a 429 and a 503 on the detail calls', async () => {
    const session = sessionFor();
    const [event] = await session.listEvents();
    simulator.sim.faults.pathFilter = /\/registrations\//;
    simulator.sim.faults.rateLimitNext = 1;
    simulator.sim.faults.serverErrorNext = 1;
    const rows = (await collectPages(session.participantPages(event, { since: null }))).flatMap((p) => p.rows);
    expect(rows).toHaveLength(8);
    expect(simulator.sim.requests.filter((r) => r.status === 429 || r.status === 503)).toHaveLength(2);
  });

  it('stores every registration when one detail has an unreadable participant object, and reports it', async () => {
    const session = sessionFor();
    const [event] = await session.listEvents();
    const full = await collectPages(session.participantPages(event, { since: null }));
    const broken = String(full[1].rows[1].participant_id);
    simulator.corruptRegistration(riverfront, broken);
    const pages = await collectPages(session.participantPages(event, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(full.flatMap((p) => p.rows).length);
    expect(pages.flatMap((p) => p.rows).find((r) => r.participant_id === broken)).toMatchObject({ first_name: null, last_name: null });
    expect(pages[1].problems).toEqual([
      {
        recordId: broken,
        field: 'participant',
        rawValue: '"not an object"',
        problem: expect.stringMatching(new RegExp(`^Haku event ${riverfront}, participants page 2: registration ${broken}: participant is not readable .* \\(stored as NULL\\)\\.$`)),
        skipped: false,
      },
    ]);
  });

  it("fails only that event when it belongs to another organization (403)", async () => {
    const error = await raceDeskFailure(collectPages(sessionFor().participantPages({ eventId: '0f1e2d3c4b5a69788796', name: 'x', startsAt: null, rows: [] }, { since: null })));
    expect(error.code).toBe('access_denied');
    expect(error.message).toContain("only their own organization's events");
  });
});

describe('Haku pages read in steps', () => {
  it('reads a list page larger than asked for in steps, letting the event loop run between them', async () => {
    const registrations = 2 * recordsPerStep + 50;
    const big = await startHakuSimulator({ registrationsPerEvent: registrations, servedPageSize: 1000 });
    // Each list item is read through the summary schema; each registration's detail comes by its own request.
    const summaries = vi.spyOn(summarySchema, 'safeParse');
    try {
      const session = connectSession(haku, { baseUrl: big.url, secret: big.secret, accountLabel: 'Windy City Races' });
      const [event] = await session.listEvents();
      summaries.mockClear();
      const { result: pages, perTurn } = await callsPerTurn(summaries, () => collectPages(session.participantPages(event, { since: null })));
      expect(pages.map((p) => p.rows.length)).toEqual([registrations]);
      expect(perTurn).toEqual([recordsPerStep, recordsPerStep, 50]);
    } finally {
      summaries.mockRestore();
      await big.close();
    }
  });
});
