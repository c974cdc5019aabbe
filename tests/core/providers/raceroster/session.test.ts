import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordsPerStep } from '../../../../src-main/core/event-loop.ts';
import { callsPerTurn } from '../../../helpers/event-loop-turns.ts';
import { collectPages, connectSession, raceDeskFailure } from '../../../helpers/provider-session.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { eventSchema, mapParticipantRow, participantSchema } from '../../../../src-main/core/providers/raceroster/mapping.ts';

// Counts the participants mapped; every call still goes to the real mapping.
vi.mock(import('../../../../src-main/core/providers/raceroster/mapping.ts'), async (importOriginal) => {
  const mapping = await importOriginal();
  return { ...mapping, mapParticipantRow: vi.fn(mapping.mapParticipantRow) };
});
import { lenientParse, type RecordIssue } from '../../../../src-main/core/providers/record-problems.ts';

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8'));
import { raceroster } from '../../../../src-main/core/providers/raceroster/definition.ts';
import { startRaceRosterSimulator, type RaceRosterSimulator } from '../../../../src-main/simulators/raceroster.ts';

let simulator: RaceRosterSimulator;

const sessionFor = (secret = simulator.secret) => connectSession(raceroster, { baseUrl: simulator.url, secret, accountLabel: 'Maple Ridge timing' });

beforeEach(async () => {
  // 6 participants per sub-event, served 4 at a time: 3 pages for a two-distance event.
  simulator = await startRaceRosterSimulator({ participantsPerSubEvent: 6, maxPageSize: 4 });
});
afterEach(() => simulator.close());

describe('Race Roster session', () => {
  it('lists only the events this account may read, one row per sub-event with counts', async () => {
    const events = await sessionFor().listEvents();
    expect(events.map((e) => e.eventId)).toEqual(['48517', '48213']);
    const harvest = events.find((e) => e.eventId === '48213')!;
    expect(harvest.rows.map((r) => [r.race_id, r.current_participants])).toEqual([
      [131077, 6],
      [131078, 6],
    ]);
  });

  it('pages through all participants of an event over several pages', async () => {
    const session = sessionFor();
    const [, harvest] = await session.listEvents();
    const pages = await collectPages(session.participantPages(harvest, { since: null }));
    expect(pages.map((p) => [p.page, p.rows.length, p.pageCount])).toEqual([
      [1, 4, 3],
      [2, 4, 3],
      [3, 4, 3],
    ]);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.registration_id));
    expect(new Set(ids).size).toBe(12);
    expect(pages[2].cursorAfter).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
  });

  it('fetches only what changed since the cursor (lastModifiedDate >=)', async () => {
    const session = sessionFor();
    const [, harvest] = await session.listEvents();
    const full = await collectPages(session.participantPages(harvest, { since: null }));
    const cursor = full.at(-1)!.cursorAfter!;
    const someone = full[0].rows[1];
    simulator.updateParticipant(48213, someone.registration_id as number, { bibNumber: 4242 });
    const incremental = await collectPages(session.participantPages(harvest, { since: cursor }));
    const rows = incremental.flatMap((p) => p.rows);
    // The boundary record (modified exactly at the cursor) comes again; upserts make that harmless.
    expect(rows.map((r) => r.registration_id)).toContain(someone.registration_id);
    expect(rows.find((r) => r.registration_id === someone.registration_id)!.bib_number).toBe('4242');
    expect(rows.length).toBeLessThanOrEqual(2);
    expect(incremental.at(-1)!.cursorAfter! > cursor).toBe(true);
  });

  it('refuses wrong credentials with a sentence naming Race Roster and what to check', async () => {
    const error = await raceDeskFailure(sessionFor({ ...simulator.secret, password: 'wrong' }).verifyCredentials());
    expect(error.code).toBe('auth_failed');
    expect(error.message).toContain('Race Roster refused the credentials of account "Maple Ridge timing"');
    expect(error.message).toContain('The user credentials were incorrect.');
    expect(error.message).toContain('client_id and client_secret');
    expect(error.message).not.toContain('wrong');
  });

  it('re-authenticates once when the token expires mid-sync', async () => {
    const session = sessionFor();
    const [, harvest] = await session.listEvents();
    simulator.expireTokens();
    const pages = await collectPages(session.participantPages(harvest, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(12);
    const refused = simulator.sim.requests.filter((r) => r.status === 401);
    expect(refused).toHaveLength(1);
  });

  it('retries a 429 and a 503 and still gets every page', async () => {
    const session = sessionFor();
    const [, harvest] = await session.listEvents();
    simulator.sim.faults.pathFilter = /participants$/;
    simulator.sim.faults.rateLimitNext = 1;
    simulator.sim.faults.serverErrorNext = 1;
    const pages = await collectPages(session.participantPages(harvest, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(12);
    expect(simulator.sim.requests.filter((r) => r.status === 429 || r.status === 503)).toHaveLength(2);
  });

  it('skips a participant without a readable sub-event id, naming provider, event, page, record and problem', async () => {
    const session = sessionFor();
    const [, harvest] = await session.listEvents();
    const whole = (await collectPages(session.participantPages(harvest, { since: null }))).flatMap((p) => p.rows).length;
    simulator.corruptParticipant(48213, 6);
    const pages = await collectPages(session.participantPages(harvest, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(whole - 1);
    expect(pages.flatMap((p) => p.problems ?? [])).toEqual([
      expect.objectContaining({ recordId: '9100005', field: 'subEventId', skipped: true, problem: expect.stringMatching(/^Race Roster event 48213, participants page 2: participant 9100005 was skipped: subEventId/) }),
    ]);
  });

  it('reads odd-but-legal answers: a multi-select list, a boolean, an unknown gender code, a numeric-string latitude', async () => {
    const [record] = fixture('event_participants.json').data;
    const odd = structuredClone(record);
    odd.gender = 3;
    odd.registrationQuestions = { data: [{ questionId: 1, questionTitle: 'Shirt', questionAnswer: ['S', 'M'] }, { questionId: 2, questionTitle: 'Waiver', questionAnswer: true }] };
    const problems: RecordIssue[] = [];
    const parsed = lenientParse(participantSchema, odd, { key: ['participantId'], what: 'participant', where: 'here', problems });
    expect(parsed).toMatchObject({ gender: null, registrationQuestions: { data: [{ questionAnswer: 'S, M' }, { questionAnswer: true }] } });
    expect(problems.map((p) => [p.field, p.rawValue])).toEqual([['gender', '3']]);
    const [event] = fixture('events_list.json').data;
    expect(eventSchema.parse({ ...event, latitude: '43.78', subEvents: undefined })).toMatchObject({ latitude: 43.78, subEvents: { data: [] } });
  });

  it('fails only the event another organiser owns (403), naming it', async () => {
    const session = sessionFor();
    const error = await raceDeskFailure(collectPages(session.participantPages({ eventId: '49002', name: 'x', startsAt: null, rows: [] }, { since: null })));
    expect(error.code).toBe('access_denied');
    expect(error.message).toContain('does not let account "Maple Ridge timing" read event 49002');
  });
});

describe('Race Roster pages read in steps', () => {
  it('maps a page larger than asked for in steps, letting the event loop run between them', async () => {
    const perSubEvent = recordsPerStep + 25;
    const big = await startRaceRosterSimulator({ participantsPerSubEvent: perSubEvent, servedPageSize: 1000 });
    try {
      const session = connectSession(raceroster, { baseUrl: big.url, secret: big.secret, accountLabel: 'Maple Ridge timing' });
      const [, harvest] = await session.listEvents();
      vi.mocked(mapParticipantRow).mockClear();
      const { result: pages, perTurn } = await callsPerTurn(vi.mocked(mapParticipantRow), () => collectPages(session.participantPages(harvest, { since: null })));
      // The two distances in one page of 250.
      expect(pages.map((p) => p.rows.length)).toEqual([2 * perSubEvent]);
      expect(perTurn).toEqual([recordsPerStep, recordsPerStep, 50]);
    } finally {
      await big.close();
    }
  });
});
