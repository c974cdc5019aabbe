import { afterEach, describe, expect, it } from 'vitest';
import { call, type TestCore } from '../../helpers/core.ts';
import { coreWithAccount } from '../../helpers/provider-session.ts';
import { simulatedProviders, startProviderSimulator, type StartedSimulator } from '../../../src-main/simulators/registry.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { completeBatch, takeBatch } from '../../../src-main/core/hub/outbox.ts';

/*
 * A full re-sync of data that did not change (ChronoTrack's and Copernico's every sync: they have
 * no incremental cursor) queues nothing for the hub and leaves the search index alone; a runner
 * changed at the provider is queued alone.
 */
const label = 'Resync account';
let core: TestCore | undefined;
let sim: { close(): Promise<void> } | undefined;

afterEach(async () => {
  core?.cleanup();
  await sim?.close();
  core = sim = undefined;
});

/** Sends everything waiting to the hub, as a push does. */
function push(core: TestCore): void {
  for (let batch = takeBatch(core.db, 1000); batch; batch = takeBatch(core.db, 1000)) completeBatch(core.db, batch.batchId);
}

/** Provider rows waiting for the hub (the run's own sync_history rows are not provider data). */
const queuedRows = (core: TestCore) =>
  core.db.prepare(`SELECT table_name, row_key FROM hub_outbox WHERE table_name <> 'sync_history' ORDER BY seq`).all() as Array<{ table_name: string; row_key: string }>;

/** Counts every write to the search index from here on (a temporary trigger of the core's own connection). */
function watchSearchIndex(core: TestCore): () => number {
  core.db.exec(`CREATE TEMP TABLE search_writes (n INTEGER NOT NULL);
    CREATE TEMP TRIGGER search_insert_seen AFTER INSERT ON main.participant_search BEGIN INSERT INTO search_writes VALUES (1); END;
    CREATE TEMP TRIGGER search_update_seen AFTER UPDATE ON main.participant_search BEGIN INSERT INTO search_writes VALUES (1); END;
    CREATE TEMP TRIGGER search_delete_seen AFTER DELETE ON main.participant_search BEGIN INSERT INTO search_writes VALUES (1); END;`);
  return () => core.db.prepare(`SELECT count(*) FROM search_writes`).pluck().get() as number;
}

describe('a full re-sync of unchanged data', () => {
  it.each(simulatedProviders())('%s: queues no row for the hub and leaves the search index untouched', async (provider) => {
    const started: StartedSimulator = await startProviderSimulator(provider, { seed: 5 });
    sim = started;
    core = await coreWithAccount({ provider, label, baseUrl: started.url, secret: started.credential, unlimitedRate: true });
    const first = await call(core, 'sync.run', { provider, account: label });
    expect(first.status).toBe('success');
    const stored = queuedRows(core).length;
    expect(stored).toBeGreaterThan(0);
    push(core);

    const searchWrites = watchSearchIndex(core);
    const again = await call(core, 'sync.run', { provider, account: label, full: true });
    expect(again.status).toBe('success');
    // The re-sync did read every row again...
    expect(again.outcomes.reduce((n, o) => n + o.records, 0)).toBe(first.outcomes.reduce((n, o) => n + o.records, 0));
    // ...and found nothing to store.
    expect(queuedRows(core)).toEqual([]);
    expect(searchWrites()).toBe(0);
    // The run says so: every record unchanged, in its outcome and in sync_history.
    expect(first.outcomes.every((o) => o.unchanged === 0)).toBe(true);
    expect(again.outcomes.map((o) => o.unchanged)).toEqual(again.outcomes.map((o) => o.records));
    const history = await call(core, 'history.list', { limit: again.outcomes.length + 1 });
    const rows = history.filter((h) => h.syncType !== 'events');
    expect(rows).toHaveLength(again.outcomes.length);
    for (const row of rows) expect(row.unchanged).toBe(row.records);
    expect(history.find((h) => h.syncType === 'events')).toMatchObject({ unchanged: again.eventsListed, records: again.eventsListed });
  });
});

describe('a re-sync after one runner changed at the provider', () => {
  it('queues exactly that runner, and again when the change is undone', async () => {
    const key = { api_key: 'rsu-resync-key', api_secret: 'rsu-resync-secret' };
    const rsu = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 9, races: 1, eventsPerRace: 2, participantsPerEvent: 40 }), credentials: [key] });
    sim = rsu;
    core = await coreWithAccount({ provider: 'runsignup', label, baseUrl: rsu.url, secret: key, unlimitedRate: true });
    await call(core, 'sync.run', { provider: 'runsignup', account: label });
    push(core);

    const runner = rsu.dataset.participants[17];
    const bib = (core.db.prepare(`SELECT bib_num FROM runsignup_participants WHERE registration_id = ?`).pluck().get(runner.registration_id)) as string;
    const changedOnly = [{ table_name: 'runsignup_participants', row_key: JSON.stringify({ registration_id: runner.registration_id }) }];

    rsu.updateParticipant(runner.registration_id, { bib_num: '4321' });
    const changed = await call(core, 'sync.run', { provider: 'runsignup', account: label, full: true });
    expect(queuedRows(core)).toEqual(changedOnly);
    const participants = changed.outcomes.filter((o) => o.kind === 'participants');
    expect(participants.reduce((n, o) => n + o.records - o.unchanged, 0)).toBe(1);
    push(core);

    rsu.updateParticipant(runner.registration_id, { bib_num: bib });
    await call(core, 'sync.run', { provider: 'runsignup', account: label, full: true });
    expect(queuedRows(core)).toEqual(changedOnly);
    expect(core.db.prepare(`SELECT bib_num FROM runsignup_participants WHERE registration_id = ?`).pluck().get(runner.registration_id)).toBe(bib);
  });
});
