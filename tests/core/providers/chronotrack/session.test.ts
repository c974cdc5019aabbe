import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordsPerStep } from '../../../../src-main/core/event-loop.ts';
import { entryRow, ResultAssembler } from '../../../../src-main/core/providers/chronotrack/mapping.ts';
import { callsPerTurn } from '../../../helpers/event-loop-turns.ts';

// Counts the entries mapped; every call still goes to the real mapping.
vi.mock(import('../../../../src-main/core/providers/chronotrack/mapping.ts'), async (importOriginal) => {
  const mapping = await importOriginal();
  return { ...mapping, entryRow: vi.fn(mapping.entryRow) };
});
import { collectPages, connectSession, raceDeskFailure } from '../../../helpers/provider-session.ts';
import { chronotrack } from '../../../../src-main/core/providers/chronotrack/definition.ts';
import { sha1Hex, type ChronotrackSecret } from '../../../../src-main/core/providers/chronotrack/client.ts';
import { startChronotrackSimulator, type ChronotrackSimulator } from '../../../../src-main/simulators/chronotrack.ts';
import type { ProviderSession } from '../../../../src-main/core/providers/types.ts';
import type { RecordIssue } from '../../../../src-main/core/providers/record-problems.ts';
import { chronotrackAssumptions } from '../../../../src-main/core/providers/chronotrack/assumptions.ts';

function session(sim: ChronotrackSimulator, secret: ChronotrackSecret = sim.credentials): ProviderSession {
  return connectSession(chronotrack, { baseUrl: sim.url, secret, accountLabel: 'Office laptop' });
}

describe('ChronoTrack definition', () => {
  it('declares its secret fields, secret params and tables', () => {
    expect(chronotrack.secretFields.map((f) => f.key)).toEqual(['client_id', 'username', 'password']);
    expect(chronotrack.secretParams).toEqual(['user_pass', 'password']);
    expect(chronotrack.defaultBaseUrl).toBe('https://api.chronotrack.com/api');
    expect(chronotrack.tables).toEqual({
      events: { table: 'ct_events', key: ['event_id'] },
      participants: { table: 'ct_participants', key: ['entry_id'] },
      results: { table: 'ct_results', key: ['event_id', 'entry_id'] },
    });
    expect(chronotrack.secretSchema.safeParse({ client_id: 'a', username: 'b', password: '' }).success).toBe(false);
  });

  it('hashes the password the way ChronoTrack expects user_pass', () => {
    expect(sha1Hex('password')).toBe('5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8');
  });
});

describe('ChronoTrack session against the simulator', () => {
  let sim: ChronotrackSimulator;
  beforeEach(async () => {
    // 12 entries served 5 per page whatever size is asked: pages of 5, 5, 2.
    sim = await startChronotrackSimulator({ maxPageSize: 5, entriesPerEvent: 12 });
  });
  afterEach(() => sim.close());

  it('lists events and pages through every entry using the X-Ctlive headers', async () => {
    const s = session(sim);
    await s.verifyCredentials();
    const events = await s.listEvents();
    expect(events.map((e) => e.eventId)).toEqual(['90412', '90577']);
    expect(events[0]).toMatchObject({ name: 'Riverbend Half Marathon 2025', startsAt: '2025-10-18T12:00:00.000Z' });

    const pages = await collectPages(s.participantPages(events[0], { since: null }));
    expect(pages.map((p) => [p.page, p.pageCount, p.rows.length])).toEqual([[1, 3, 5], [2, 3, 5], [3, 3, 2]]);
    const ids = pages.flatMap((p) => p.rows.map((r) => r.entry_id));
    expect(new Set(ids).size).toBe(12);
    expect(ids).toEqual(sim.world.events[0].entries.map((e) => e.entry_id));
    // The plain password never travels; user_pass is its SHA-1.
    const entryCall = sim.requests.find((r) => r.path === '/api/event/90412/entry')!;
    expect(entryCall.query.get('user_pass')).toBe(sha1Hex(sim.credentials.password));
    expect(entryCall.query.get('format')).toBe('json');
  });

  it('assembles results whose interval rows straddle pages into one row per entry', async () => {
    const s = session(sim);
    const [event] = await s.listEvents();
    const pages = await collectPages(s.resultPages!(event, { since: null }));
    expect(pages.length).toBeGreaterThan(1);
    const last = new Map(pages.flatMap((p) => p.rows).map((r) => [r.entry_id, r]));
    const finishers = sim.world.events[0].results.filter((r) => r.results_interval_full === '1');
    for (const full of finishers) {
      const row = last.get(full.results_entry_id)!;
      expect(row.results_time).toBe(full.results_time);
      if (full.results_race_name === 'Half Marathon') expect(JSON.parse(row.split_times as string)).toHaveProperty('10K');
    }
    // DNF entries have a split but no finish.
    const dnf = sim.world.events[0].entries.find((e) => e.entry_status === 'DNF')!;
    expect(last.get(dnf.entry_id)).not.toHaveProperty('results_time');
  });

  it('refuses wrong credentials with a sentence naming ChronoTrack and what to check', async () => {
    const error = await raceDeskFailure(session(sim, { ...sim.credentials, password: 'wrong' }).verifyCredentials());
    expect(error.code).toBe('auth_failed');
    expect(error.message).toContain('ChronoTrack refused the credentials of account "Office laptop" (HTTP 401)');
    expect(error.message).toContain('client ID');
    expect(error.message).not.toContain(sha1Hex('wrong'));
  });

  it('can authenticate with HTTP Basic instead, sending no user_pass', async () => {
    chronotrackAssumptions.authMode = 'basic';
    try {
      const s = session(sim);
      await s.verifyCredentials();
      const refused = await raceDeskFailure(session(sim, { ...sim.credentials, password: 'wrong' }).verifyCredentials());
      expect(refused.code).toBe('auth_failed');
    } finally {
      chronotrackAssumptions.authMode = 'simple';
    }
    expect(sim.requests.every((r) => !r.query.has('user_pass') && r.query.get('client_id') === sim.credentials.client_id)).toBe(true);
  });

  it('retries a 429 and a 503 and still returns every page', async () => {
    const s = session(sim);
    const [event] = await s.listEvents();
    sim.faults.pathFilter = /\/entry$/;
    sim.faults.rateLimitNext = 1;
    sim.faults.serverErrorNext = 1;
    const pages = await collectPages(s.participantPages(event, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(12);
    expect(sim.requests.filter((r) => r.status === 429 || r.status === 503)).toHaveLength(2);
  });

  it('yields every page when an entry has an unreadable birthdate, reporting event, page, entry, field and value', async () => {
    const s = session(sim);
    const [event] = await s.listEvents();
    const bad = sim.world.events[0].entries[7];
    sim.corruptEntry(bad.entry_id, 'athlete_birthdate', '22/03/1988');
    const pages = await collectPages(s.participantPages(event, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(sim.world.events[0].entries.length);
    expect(pages.flatMap((p) => p.rows).find((r) => r.entry_id === bad.entry_id)).toMatchObject({ athlete_birthdate: null });
    expect(pages.flatMap((p) => p.problems ?? [])).toEqual([
      {
        recordId: bad.entry_id,
        field: 'athlete_birthdate',
        rawValue: '"22/03/1988"',
        problem: `ChronoTrack event 90412, entries page 2: entry ${bad.entry_id} has athlete_birthdate "22/03/1988", which is not a date (YYYY-MM-DD) (stored as NULL).`,
        skipped: false,
      },
    ]);
  });

  it('lists every other event when one has an event_date it cannot read or no event_id', async () => {
    const first = sim.world.events[0];
    sim.world.events.push({ ...first, event: { ...first.event, event_id: '' } });
    (first.event as Record<string, unknown>).event_date = '10/18/2025';
    const problems: RecordIssue[] = [];
    const events = await session(sim).listEvents(undefined, { problems });
    expect(events.map((e) => e.eventId)).toEqual(sim.world.events.slice(0, -1).map((e) => e.event.event_id));
    expect(events[0].rows[0]).toMatchObject({ event_date: null });
    expect(problems.map((p) => [p.field, p.rawValue, p.skipped])).toEqual([
      ['event_date', '"10/18/2025"', false],
      ['record', null, true],
    ]);
  });
});

describe('ChronoTrack contact fields from GET /entry/{id}', () => {
  let sim: ChronotrackSimulator;
  beforeEach(async () => {
    sim = await startChronotrackSimulator({ maxPageSize: 5, entriesPerEvent: 12 });
  });
  afterEach(() => sim.close());
  const entryCalls = () => sim.requests.filter((r) => r.path.startsWith('/api/entry/'));

  it('reads the contacts the entry list lacks from each entry, and every call is authenticated', async () => {
    const s = session(sim);
    const [event] = await s.listEvents();
    const rows = (await collectPages(s.participantPages(event, { since: null }))).flatMap((p) => p.rows);
    const world = sim.world.events[0];
    expect(rows).toHaveLength(12);
    for (const row of rows) {
      const detail = world.details[row.entry_id as string];
      expect(row).toMatchObject({
        athlete_email: detail.athlete_email,
        athlete_mobile_phone: detail.athlete_mobile_phone,
        athlete_home_phone: detail.athlete_home_phone === '' ? null : detail.athlete_home_phone,
      });
    }
    expect(entryCalls().map((r) => r.path).sort()).toEqual(world.entries.map((e) => `/api/entry/${e.entry_id}`).sort());
    expect(entryCalls().every((r) => r.status === 200 && r.query.get('user_pass') === sha1Hex(sim.credentials.password))).toBe(true);
  });

  it('asks no entry again whose stored row has contacts, and leaves their columns out so they stay', async () => {
    const s = session(sim);
    const [event] = await s.listEvents();
    const stored = new Set(sim.world.events[0].entries.slice(0, 10).map((e) => e.entry_id));
    const asked: Array<readonly string[]> = [];
    const storedIdsWith = (columns: readonly string[]) => {
      asked.push(columns);
      return stored;
    };
    const rows = (await collectPages(s.participantPages(event, { since: null, storedIdsWith }))).flatMap((p) => p.rows);
    expect(asked).toEqual([chronotrackAssumptions.contactFields]);
    expect(entryCalls().map((r) => r.path.replace('/api/entry/', '')).sort()).toEqual(sim.world.events[0].entries.slice(10).map((e) => e.entry_id).sort());
    expect(rows.filter((r) => stored.has(r.entry_id as string)).every((r) => !('athlete_email' in r))).toBe(true);
    expect(rows.filter((r) => !stored.has(r.entry_id as string)).every((r) => typeof r.athlete_email === 'string')).toBe(true);
  });

  it('uses contacts the entry list does send, without a detail call', async () => {
    for (const entry of sim.world.events[0].entries) entry.athlete_email = `list.${entry.entry_id}@example.com`;
    const s = session(sim);
    const [event] = await s.listEvents();
    const rows = (await collectPages(s.participantPages(event, { since: null }))).flatMap((p) => p.rows);
    expect(rows.map((r) => r.athlete_email)).toEqual(sim.world.events[0].entries.map((e) => `list.${e.entry_id}@example.com`));
    expect(entryCalls()).toEqual([]);
  });

  it('stores an entry whose detail is gone (404) without contacts and reports it; the others get theirs', async () => {
    const s = session(sim);
    const [event] = await s.listEvents();
    const gone = sim.world.events[0].entries[3].entry_id;
    sim.deleteEntryDetail(gone);
    const pages = await collectPages(s.participantPages(event, { since: null }));
    const rows = pages.flatMap((p) => p.rows);
    expect(rows).toHaveLength(12);
    expect(rows.find((r) => r.entry_id === gone)).not.toHaveProperty('athlete_email');
    expect(rows.filter((r) => r.entry_id !== gone).every((r) => typeof r.athlete_email === 'string')).toBe(true);
    expect(pages.flatMap((p) => p.problems ?? [])).toMatchObject([{ recordId: gone, field: 'contact fields', skipped: false }]);
  });
});

describe('ChronoTrack gender and age-group places from bracket results', () => {
  let sim: ChronotrackSimulator;
  beforeEach(async () => {
    sim = await startChronotrackSimulator({ maxPageSize: 5, entriesPerEvent: 24 });
  });
  afterEach(() => sim.close());

  it('ranks each finisher within its sex and its age group, by the SEX and AGE brackets only', async () => {
    const s = session(sim);
    const [event] = await s.listEvents();
    const rows = new Map((await collectPages(s.resultPages!(event, { since: null }))).flatMap((p) => p.rows).map((r) => [r.entry_id, r]));
    const world = sim.world.events[0];
    const finishers = world.results.filter((r) => r.results_interval_full === '1');
    expect(finishers.length).toBeGreaterThan(4);
    for (const full of finishers) {
      const sameRace = finishers.filter((r) => r.results_race_id === full.results_race_id);
      const faster = (r: (typeof finishers)[number]) => Number(r.results_rank) < Number(full.results_rank);
      expect(rows.get(full.results_entry_id)).toMatchObject({
        results_rank: Number(full.results_rank),
        results_gender_rank: sameRace.filter((r) => r.results_sex === full.results_sex && faster(r)).length + 1,
        results_age_group_rank: sameRace.filter((r) => r.results_primary_bracket_name === full.results_primary_bracket_name && faster(r)).length + 1,
      });
    }
    // Non-finishers have no place; the PRIMARY (overall) bracket is not asked for.
    const dnf = world.entries.find((e) => e.entry_status === 'DNF')!;
    expect(rows.get(dnf.entry_id)).not.toHaveProperty('results_gender_rank');
    const asked = sim.requests.filter((r) => r.path.startsWith('/api/bracket/')).map((r) => r.path.split('/')[3]);
    const primary = world.brackets.filter((b) => b.bracket_type === 'PRIMARY').map((b) => b.bracket_id);
    expect(new Set(asked)).toEqual(new Set(world.brackets.filter((b) => b.bracket_type !== 'PRIMARY').map((b) => b.bracket_id)));
    expect(asked.some((id) => primary.includes(id))).toBe(false);
  });
});

describe('ChronoTrack pages read in steps', () => {
  it('maps a large entries page in steps, letting the event loop run between them', async () => {
    const entries = 2 * recordsPerStep + 50;
    const sim = await startChronotrackSimulator({ entriesPerEvent: entries });
    try {
      const s = session(sim);
      const [event] = await s.listEvents();
      vi.mocked(entryRow).mockClear();
      const { result: pages, perTurn } = await callsPerTurn(vi.mocked(entryRow), () => collectPages(s.participantPages(event, { since: null })));
      expect(pages.map((p) => p.rows.length)).toEqual([entries]);
      expect(perTurn).toEqual([recordsPerStep, recordsPerStep, 50]);
    } finally {
      await sim.close();
    }
  });

  it('reads result pages and large bracket pages in steps as well', async () => {
    // Enough entries that a SEX bracket of the longest race has more than one step's finishers.
    const sim = await startChronotrackSimulator({ entriesPerEvent: 1000 });
    try {
      const s = session(sim);
      const [event] = await s.listEvents();
      for (const [method, calls] of [
        ['add', sim.world.events[0].results.length],
        ['place', null],
      ] as const) {
        const spy = vi.spyOn(ResultAssembler.prototype, method);
        try {
          const { perTurn } = await callsPerTurn(spy, () => collectPages(s.resultPages!(event, { since: null })));
          if (calls !== null) expect(spy).toHaveBeenCalledTimes(calls);
          // Pages of 500 (results) and whole brackets, none read in one turn.
          expect(Math.max(...perTurn)).toBe(recordsPerStep);
        } finally {
          spy.mockRestore();
        }
      }
    } finally {
      await sim.close();
    }
  });
});
