import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordsPerStep } from '../../../../src-main/core/event-loop.ts';
import { parseSummary, participantRow, presetResult } from '../../../../src-main/core/providers/copernico/mapping.ts';
import { callsPerTurn, inSteps } from '../../../helpers/event-loop-turns.ts';

// Counts the athletes and preset rows read; every call still goes to the real mapping.
vi.mock(import('../../../../src-main/core/providers/copernico/mapping.ts'), async (importOriginal) => {
  const mapping = await importOriginal();
  return { ...mapping, parseSummary: vi.fn(mapping.parseSummary), participantRow: vi.fn(mapping.participantRow), presetResult: vi.fn(mapping.presetResult) };
});
import { collectPages, connectSession, raceDeskFailure } from '../../../helpers/provider-session.ts';
import { copernico } from '../../../../src-main/core/providers/copernico/definition.ts';
import type { CopernicoSecret } from '../../../../src-main/core/providers/copernico/client.ts';
import { simulatorPreset, startCopernicoSimulator, type CopernicoSimulator } from '../../../../src-main/simulators/copernico.ts';
import { startSimulator } from '../../../../src-main/simulators/kit.ts';
import type { RecordIssue } from '../../../../src-main/core/providers/record-problems.ts';
import type { ProviderSession } from '../../../../src-main/core/providers/types.ts';

const raceId = 'media-maraton-rio-verde-2026';

function session(sim: CopernicoSimulator, secret: CopernicoSecret = sim.credentials): ProviderSession {
  return connectSession(copernico, { baseUrl: sim.url, secret, accountLabel: 'Oficina' });
}

describe('Copernico definition', () => {
  it('declares its secret field and tables', () => {
    expect(copernico.secretFields.map((f) => [f.key, f.optional === true])).toEqual([['api_key', false], ['preset_login', true], ['preset_name', true]]);
    expect(copernico.tables).toEqual({
      events: { table: 'copernico_events', key: ['event_id'], fetchStamps: ['updated_at'] },
      participants: { table: 'copernico_participants', key: ['event_id', 'participant_id'], fetchStamps: ['updated_at'] },
      results: { table: 'copernico_results', key: ['event_id', 'participant_id'], fetchStamps: ['updated_at'] },
    });
  });

  it('takes a results preset as login and name together, and says so when one is missing', () => {
    expect(copernico.secretSchema.safeParse({ api_key: 'k', ...simulatorPreset }).success).toBe(true);
    const half = copernico.secretSchema.safeParse({ api_key: 'k', preset_login: simulatorPreset.preset_login });
    expect(half.success).toBe(false);
    expect(half.error!.issues[0].message).toContain('Give both preset_login');
    // Both left empty in the form: no preset.
    expect(copernico.secretSchema.parse({ api_key: 'k', preset_login: ' ', preset_name: '' })).toEqual({ api_key: 'k' });
  });
});

describe('Copernico session against the simulator', () => {
  let sim: CopernicoSimulator;
  // 60 athletes: the 21K and 10K get 30 each, so results come in pages of 25 + 5.
  beforeEach(async () => {
    sim = await startCopernicoSimulator({ athletesPerRace: 60 });
  });
  afterEach(() => sim.close());

  it('lists one event per (race, event) and fetches the athlete list once per race', async () => {
    const s = session(sim);
    await s.verifyCredentials();
    const events = await s.listEvents();
    expect(events.map((e) => e.eventId)).toEqual([`${raceId}:21K`, `${raceId}:10K`, 'trail-sierra-alta-2026:Trail 25K']);
    expect(events[0]).toMatchObject({ name: '21K', groupId: raceId, groupName: 'Media Maratón Río Verde 2026' });

    const half = await collectPages(s.participantPages(events[0], { since: null }));
    const ten = await collectPages(s.participantPages(events[1], { since: null }));
    expect(half.flatMap((p) => p.rows)).toHaveLength(30);
    expect(ten.flatMap((p) => p.rows)).toHaveLength(30);
    expect(new Set([...half, ...ten].flatMap((p) => p.rows.map((r) => r.participant_id))).size).toBe(60);
    expect(sim.requests.filter((r) => r.path.endsWith('/athletes'))).toHaveLength(1);
    // The repaired name, not the mojibake the API sent.
    expect([...half, ...ten].flatMap((p) => p.rows).some((r) => r.first_name === 'Émilie')).toBe(true);
  });

  it('pages results and skips the per-athlete call for athletes who have not started', async () => {
    const s = session(sim);
    const [half] = await s.listEvents();
    const pages = await collectPages(s.resultPages!(half, { since: null }));
    expect(pages.map((p) => [p.page, p.pageCount, p.rows.length])).toEqual([[1, 2, 25], [2, 2, 5]]);
    const rows = pages.flatMap((p) => p.rows);
    const notStarted = rows.filter((r) => r.status === 'notstarted').length;
    expect(notStarted).toBeGreaterThan(0);
    expect(sim.requests.filter((r) => r.path.includes('/athlete/'))).toHaveLength(30 - notStarted);
    // The full record, as the production integration reads it.
    expect(sim.requests.filter((r) => r.path.includes('/athlete/')).every((r) => r.path.endsWith('/full'))).toBe(true);
    const winner = rows.find((r) => r.overall_position === 1)!;
    expect(winner.total_time).toMatch(/^\d+:\d{2}:\d{2}\.\d{3}$/);
    expect(Object.keys(JSON.parse(winner.split_times as string))).toEqual(['Salida', '5K', '10K', 'Meta']);
  });

  it('reads athlete records in the demo layout too', async () => {
    await sim.close();
    sim = await startCopernicoSimulator({ athletesPerRace: 6, demoLayout: true });
    const s = session(sim);
    const [half] = await s.listEvents();
    const rows = (await collectPages(s.resultPages!(half, { since: null }))).flatMap((p) => p.rows);
    expect(rows.filter((r) => r.status === 'finished').every((r) => r.total_time !== null)).toBe(true);
  });

  it('reads the plain athlete record where /full is not served', async () => {
    await sim.close();
    sim = await startCopernicoSimulator({ athletesPerRace: 6, demoLayout: true, servesFull: false });
    const s = session(sim);
    const [half] = await s.listEvents();
    const rows = (await collectPages(s.resultPages!(half, { since: null }))).flatMap((p) => p.rows);
    expect(rows.filter((r) => r.status === 'finished').every((r) => r.total_time !== null)).toBe(true);
    const athleteCalls = sim.requests.filter((r) => r.path.includes('/athlete/'));
    expect(athleteCalls.some((r) => r.path.endsWith('/full') && r.status === 404)).toBe(true);
    expect(athleteCalls.some((r) => !r.path.endsWith('/full') && r.status === 200)).toBe(true);
  });

  it('refuses a wrong key with a sentence naming Copernico and what to check', async () => {
    const error = await raceDeskFailure(session(sim, { api_key: 'wrong' }).verifyCredentials());
    expect(error.code).toBe('auth_failed');
    expect(error.message).toContain('Copernico refused the API key of account "Oficina" (HTTP 401)');
    expect(error.message).toContain('production and demo keys differ');
  });

  it('retries a 429 and a 503 on athlete calls', async () => {
    const s = session(sim);
    const [half] = await s.listEvents();
    sim.faults.pathFilter = /\/athlete\//;
    sim.faults.rateLimitNext = 1;
    sim.faults.serverErrorNext = 1;
    const rows = (await collectPages(s.resultPages!(half, { since: null }))).flatMap((p) => p.rows);
    expect(rows).toHaveLength(30);
    expect(sim.requests.filter((r) => r.status === 429 || r.status === 503)).toHaveLength(2);
  });

  it('yields every results page when an athlete has an unreadable time, reporting event, page, athlete and value', async () => {
    const s = session(sim);
    const [half] = await s.listEvents();
    const race = sim.world.races[0];
    // The 28th athlete of the 21K lands on results page 2; it has to be one with times.
    const halfAthletes = race.athletes.filter((a) => (a.events as Array<{ event: string }>)[0].event === '21K');
    const bad = halfAthletes.slice(25).find((a) => (a.events as Array<{ status: string }>)[0].status !== 'notstarted')!;
    (bad.events as Array<Record<string, unknown>>)[0].startRawTime = 'nine o\'clock';
    const pages = await collectPages(s.resultPages!(half, { since: null }));
    expect(pages.flatMap((p) => p.rows)).toHaveLength(halfAthletes.length);
    expect(pages.flatMap((p) => p.problems ?? [])).toEqual([
      expect.objectContaining({
        recordId: bad.id,
        rawValue: '"nine o\'clock"',
        problem: expect.stringContaining(`Copernico event ${raceId}:21K, results page 2: athlete ${bad.id} has startRawTime`),
        skipped: false,
      }),
    ]);
  });

  it('lists the other events of a race when one has no name', async () => {
    const race = sim.world.races[0] as unknown as { detail: { events: Array<Record<string, unknown>> } };
    const problems: RecordIssue[] = [];
    const before = (await session(sim).listEvents()).length;
    delete race.detail.events[0].name;
    const events = await session(sim).listEvents(undefined, { problems });
    expect(events).toHaveLength(before - 1);
    expect(problems).toEqual([expect.objectContaining({ skipped: true, problem: expect.stringContaining('was skipped: it has no name') })]);
  });

  it('stores the other athletes when one in the list has no id, and reports it', async () => {
    const race = sim.world.races[0];
    const nameless = race.athletes.find((a) => (a.events as Array<{ event: string }>)[0].event === '21K')!;
    const bibOf = (athlete: Record<string, unknown>) => String((athlete.events as Array<{ dorsal: unknown }>)[0].dorsal);
    sim.corruptAthlete(raceId, nameless.id as string, 'id', undefined);
    const s = session(sim);
    const [half] = await s.listEvents();
    const pages = await collectPages(s.participantPages(half, { since: null }));
    const rows = pages.flatMap((p) => p.rows);
    expect(rows).toHaveLength(29);
    expect(rows.some((r) => r.bib_number === bibOf(nameless))).toBe(false);
    expect(pages.flatMap((p) => p.problems ?? [])).toEqual([
      expect.objectContaining({ skipped: true, field: 'record', problem: expect.stringContaining(`Copernico race ${raceId}, athlete list: athlete #`) }),
    ]);
    expect(pages[0].problems?.[0].problem).toContain('was skipped: it has no id');
  });
});

describe('Copernico results from the public preset export', () => {
  let sim: CopernicoSimulator;
  beforeEach(async () => {
    sim = await startCopernicoSimulator({ athletesPerRace: 60 });
  });
  afterEach(() => sim.close());

  const withPreset = (s: CopernicoSimulator) => session(s, { ...s.credentials, ...simulatorPreset });
  const resultsOf = async (s: ProviderSession) => {
    const [half] = await s.listEvents();
    return collectPages(s.resultPages!(half, { since: null }));
  };
  const byAthlete = (rows: Array<Record<string, unknown>>) => new Map(rows.map((r) => [r.participant_id, r]));
  const timesAndPlaces = ['bib_number', 'status', 'total_time', 'gun_time', 'finish_time', 'overall_position', 'category_position'];
  const pick = (row: Record<string, unknown> | undefined) => Object.fromEntries(timesAndPlaces.map((column) => [column, row?.[column]]));

  it('reads every result of an event, with splits, in one call instead of one per athlete', async () => {
    const pages = await resultsOf(withPreset(sim));
    const presetCalls = sim.requests.filter((r) => r.path.includes('/preset/'));
    expect(presetCalls.map((r) => decodeURIComponent(r.path))).toEqual([
      `/api/races/${raceId}/preset/${simulatorPreset.preset_login}:::${simulatorPreset.preset_name}/21K`,
    ]);
    expect(sim.requests.filter((r) => r.path.includes('/athlete/'))).toHaveLength(0);
    const rows = pages.flatMap((p) => p.rows);
    expect(rows).toHaveLength(30);
    expect(pages.flatMap((p) => p.problems ?? [])).toEqual([]);
    const winner = rows.find((r) => r.overall_position === 1)!;
    expect(Object.keys(JSON.parse(winner.split_times as string))).toEqual(['5K', '10K', 'finish']);

    // The same times and places as the per-athlete records give.
    const perAthlete = byAthlete((await resultsOf(session(sim))).flatMap((p) => p.rows));
    expect(rows.filter((r) => r.status === 'finished').length).toBeGreaterThan(0);
    for (const row of rows) expect(pick(row), String(row.participant_id)).toEqual(pick(perAthlete.get(row.participant_id)));
  });

  it('falls back to the per-athlete calls when the preset is not published', async () => {
    await sim.close();
    sim = await startCopernicoSimulator({ athletesPerRace: 60, publishesPreset: false });
    const rows = (await resultsOf(withPreset(sim))).flatMap((p) => p.rows);
    expect(sim.requests.filter((r) => r.path.includes('/preset/')).map((r) => r.status)).toEqual([404]);
    expect(sim.requests.filter((r) => r.path.includes('/athlete/')).length).toBeGreaterThan(0);
    expect(rows).toHaveLength(30);
    expect(rows.find((r) => r.overall_position === 1)?.total_time).toMatch(/^\d+:\d{2}:\d{2}\.\d{3}$/);
  });

  it('reads an export the CDN sent as gzip bytes without saying so', async () => {
    await sim.close();
    sim = await startCopernicoSimulator({ athletesPerRace: 60, gzipPreset: true });
    const rows = (await resultsOf(withPreset(sim))).flatMap((p) => p.rows);
    expect(rows).toHaveLength(30);
    expect(sim.requests.filter((r) => r.path.includes('/athlete/'))).toHaveLength(0);
  });

  it('never sends the API key to the public export', async () => {
    const seen: string[] = [];
    // A relay in front of the simulator that notes the key header of the export request.
    const spy = await startSimulator({
      route: (request) => {
        if (request.path.includes('/preset/')) seen.push(String(request.headers['x-api-key'] ?? 'none'));
        return { status: 307, headers: { location: `${sim.url}${request.path}` } };
      },
    });
    try {
      await resultsOf(connectSession(copernico, { baseUrl: spy.url, secret: { ...sim.credentials, ...simulatorPreset }, accountLabel: 'Oficina' }));
    } finally {
      await spy.close();
    }
    expect(seen).toEqual(['none']);
  });
});

describe('Copernico pages read in steps', () => {
  let sim: CopernicoSimulator;
  // 500 athletes: 250 in the 21K, one participants page (500 rows) and one preset export.
  beforeEach(async () => {
    sim = await startCopernicoSimulator({ athletesPerRace: 500 });
  });
  afterEach(() => sim.close());

  it('maps a large participants page in steps, letting the event loop run between them', async () => {
    const s = session(sim);
    const [half] = await s.listEvents();
    vi.mocked(participantRow).mockClear();
    const { result: pages, perTurn } = await callsPerTurn(vi.mocked(participantRow), () => collectPages(s.participantPages(half, { since: null })));
    expect(pages.map((p) => p.rows.length)).toEqual([250]);
    expect(perTurn).toEqual([recordsPerStep, recordsPerStep, 50]);
  });

  it('reads a list of bare athlete ids, mixed with records, in the order listed', async () => {
    const race = sim.world.races.find((r) => r.detail.id === raceId)!;
    // A relay that lists every other athlete as a bare id and sends the rest on to the simulator.
    const relay = await startSimulator({
      route: (request) =>
        request.path === `/api/races/${raceId}/athletes`
          ? { body: { result: { code: 1 }, data: race.athletes.map((athlete, i) => (i % 2 === 0 ? athlete.id : athlete)) } }
          : { status: 307, headers: { location: `${sim.url}${request.path}` } },
    });
    try {
      const ids = async (s: ProviderSession) => {
        const [half] = await s.listEvents();
        return (await collectPages(s.participantPages(half, { since: null }))).flatMap((p) => p.rows.map((r) => r.participant_id));
      };
      const listed = await ids(session(sim));
      expect(listed).toHaveLength(250);
      expect(await ids(connectSession(copernico, { baseUrl: relay.url, secret: sim.credentials, accountLabel: 'Oficina' }))).toEqual(listed);
    } finally {
      await relay.close();
    }
  });

  it("reads the race's whole athlete list in steps", async () => {
    const s = session(sim);
    const [half] = await s.listEvents();
    vi.mocked(parseSummary).mockClear();
    const { perTurn } = await callsPerTurn(vi.mocked(parseSummary), () => collectPages(s.participantPages(half, { since: null })));
    expect(perTurn).toEqual(inSteps(500, recordsPerStep));
  });

  it('maps a large preset export in steps', async () => {
    const s = session(sim, { ...sim.credentials, ...simulatorPreset });
    const [half] = await s.listEvents();
    vi.mocked(presetResult).mockClear();
    const { result: pages, perTurn } = await callsPerTurn(vi.mocked(presetResult), () => collectPages(s.resultPages!(half, { since: null })));
    const rows = vi.mocked(presetResult).mock.calls.length;
    expect(rows).toBeGreaterThan(2 * recordsPerStep);
    expect(pages.flatMap((p) => p.rows)).toHaveLength(rows);
    expect(perTurn).toEqual(inSteps(rows, recordsPerStep));
  });
});
