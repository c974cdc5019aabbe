import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { call, type TestCore } from '../../../helpers/core.ts';
import { coreWithAccount } from '../../../helpers/provider-session.ts';
import { dispatch } from '../../../../src-main/core/api/dispatch.ts';
import { accountKey } from '../../../../src-main/core/credentials/keychain.ts';
import { makeRunSignUpDataset, type RunSignUpDataset } from '../../../../src-main/datasets/runsignup.ts';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../../src-main/simulators/runsignup.ts';
import { readCursor } from '../../../../src-main/core/sync/cursors.ts';
import { runSync } from '../../../../src-main/core/sync/run-sync.ts';
import { databasePath } from '../../../../src-main/core/core.ts';
import { listBackups } from '../../../../src-main/core/store/backups.ts';
import Database from 'better-sqlite3';

/*
 * End to end through the generic runner, the real SQLite store and the real OS keychain
 * (run inside scripts/with-keychain.js). One event of 2,050 registrations makes three pages at
 * the default page size of 1,000, which is what the runner sees in production.
 */
const key = { api_key: 'rsu-timer-key', api_secret: 'rsu-timer-secret-never-stored' };
const label = 'Main timer account';
const perEvent = 2050;

let pristine: RunSignUpDataset;
beforeAll(() => {
  pristine = makeRunSignUpDataset({ seed: 21, races: 1, eventsPerRace: 1, participantsPerEvent: perEvent });
});

describe('RunSignUp sync through runSync', () => {
  let sim: RunSignUpSimulator;
  let core: TestCore;
  let eventId: number;

  beforeEach(async () => {
    sim = await startRunSignUpSimulator({ dataset: structuredClone(pristine), credentials: [key] });
    eventId = sim.dataset.races[0].events[0].event_id;
    core = await coreWithAccount({ provider: 'runsignup', label, baseUrl: sim.url, secret: key });
  });
  afterEach(async () => {
    core.cleanup();
    await sim.close();
  });
  afterAll(() => {
    pristine = undefined as unknown as RunSignUpDataset;
  });

  const count = (sql: string, ...params: unknown[]) => (core.db.prepare(sql).get(...params) as { n: number }).n;
  const participantHistory = () =>
    core.db.prepare(`SELECT * FROM sync_history WHERE sync_type = 'participants' ORDER BY id`).all() as Array<Record<string, unknown>>;
  const cursor = () => readCursor(core.db, { provider: 'runsignup', account: label, syncType: 'participants', eventId: String(eventId) });

  it('stores every registration once over several pages, with the partner and account, never the secret', async () => {
    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary).toMatchObject({ status: 'success', eventsListed: 1 });
    expect(summary.outcomes).toEqual([expect.objectContaining({ status: 'success', records: perEvent, deleted: 0 })]);
    // Keyset paging: each request asks for the registrations after the last one stored.
    const ids = pristine.participants.map((p) => p.registration_id).sort((a, b) => a - b);
    expect(sim.requests.filter((r) => r.path.endsWith('/participants')).map((r) => r.query.get('after_registration_id'))).toEqual([
      null,
      String(ids[999]),
      String(ids[1999]),
    ]);
    expect(count('SELECT count(*) AS n FROM runsignup_participants')).toBe(perEvent);
    expect(count('SELECT count(DISTINCT registration_id) AS n FROM runsignup_participants')).toBe(perEvent);
    expect(count(`SELECT count(*) AS n FROM runsignup_participants WHERE timing_partner_id = 7 AND credentials_used = ?`, label)).toBe(perEvent);
    expect(core.db.prepare('SELECT race_name, name FROM runsignup_events').all()).toEqual([{ race_name: 'Maple Hollow 5K & 10K', name: '5K' }]);
    const dump = JSON.stringify(core.db.prepare('SELECT * FROM runsignup_participants').all());
    expect(dump).not.toContain(key.api_secret);
    expect(dump).not.toContain(key.api_key);
    expect(participantHistory()).toEqual([expect.objectContaining({ status: 'success', records_processed: perEvent, error_message: null })]);
    expect(cursor()).toBe(String(Math.max(...pristine.participants.map((p) => p.last_modified))));
  });

  it('re-syncs only what changed: updates, adds and removes without duplicates', async () => {
    await runSync(core, { provider: 'runsignup', account: label });
    const firstCursor = cursor();
    const [a, b] = sim.dataset.participants;
    const changed = sim.updateParticipant(a.registration_id, { bib_num: '4242', user: { email: 'new.address@example.com' } });
    const added = sim.addParticipant({ event_id: eventId, bib_num: '9001', user: { first_name: 'Zoë', last_name: 'Núñez' } });
    sim.removeParticipant(b.registration_id, 'Transferred to another event', added.registration_id + 1);
    const before = sim.requests.length;

    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary.status).toBe('success');
    const calls = sim.requests.slice(before).filter((r) => /participants$/.test(r.path));
    expect(calls.map((c) => [c.path.split('/').at(-1), c.query.get('modified_after_timestamp')])).toEqual([
      ['participants', firstCursor],
      ['removed-participants', firstCursor],
    ]);
    expect(count('SELECT count(*) AS n FROM runsignup_participants')).toBe(perEvent);
    expect(core.db.prepare('SELECT bib_num, email FROM runsignup_participants WHERE registration_id = ?').get(changed.registration_id)).toEqual({
      bib_num: '4242',
      email: 'new.address@example.com',
    });
    expect(core.db.prepare('SELECT first_name, last_name FROM runsignup_participants WHERE registration_id = ?').get(added.registration_id)).toEqual({
      first_name: 'Zoë',
      last_name: 'Núñez',
    });
    expect(count('SELECT count(*) AS n FROM runsignup_participants WHERE registration_id = ?', b.registration_id)).toBe(0);
    expect(summary.outcomes[0]).toMatchObject({ deleted: 1 });
    expect(cursor()).toBe(String(added.last_modified));
    // The accent-free, misspelt search a volunteer types still finds the new runner.
    const hits = (await call(core, 'lookup.search', { query: 'zoe nunez' })).rows;
    expect(hits.map((h: { participant_id: string }) => h.participant_id)).toContain(String(added.registration_id));
  });

  it('keeps a transfer\'s link: the old registration leaves the pickup list, and a lookup of its name says where it went', async () => {
    await runSync(core, { provider: 'runsignup', account: label });
    const [, , old, refunded] = sim.dataset.participants;
    const { registration } = sim.transferParticipant(old.registration_id, { first_name: 'Renée', last_name: "O'Hara" });
    sim.removeParticipant(refunded.registration_id, 'cleared');
    await runSync(core, { provider: 'runsignup', account: label });

    expect(count('SELECT count(*) AS n FROM runsignup_participants WHERE registration_id IN (?, ?)', old.registration_id, refunded.registration_id)).toBe(0);
    expect(core.db.prepare('SELECT * FROM runsignup_removed_registrations WHERE registration_id = ?').get(old.registration_id)).toMatchObject({
      event_id: eventId,
      removed_reason: 'transferred',
      new_registration_id: registration.registration_id,
      first_name: old.user.first_name,
      last_name: old.user.last_name,
      bib_num: old.bib_num,
      credentials_used: label,
    });
    const [removedAt] = core.db.prepare('SELECT removed_at FROM runsignup_removed_registrations WHERE registration_id = ?').pluck().all(old.registration_id) as string[];
    expect(removedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.000Z$/);

    const found = await call(core, 'lookup.removed', { query: `${old.user.first_name} ${old.user.last_name}` });
    expect(found).toContainEqual(
      expect.objectContaining({
        participant_id: String(old.registration_id),
        note: `transferred to registration ${registration.registration_id} (Renée O'Hara${old.bib_num ? `, bib ${old.bib_num}` : ''})`,
      }),
    );
    // The e-mail the old registrant gives finds it too, typed in another case.
    expect((await call(core, 'lookup.removed', { query: String(old.user.email).toUpperCase() })).map((r: { participant_id: string }) => r.participant_id)).toContain(
      String(old.registration_id),
    );
    expect(await call(core, 'lookup.removed', { query: `${refunded.user.last_name}` })).toContainEqual(
      expect.objectContaining({ participant_id: String(refunded.registration_id), note: 'removed: cleared' }),
    );
    // The new registrant is an ordinary runner; a full re-sync keeps the link and the old name.
    expect((await call(core, 'lookup.search', { query: "renee o'hara" })).rows.map((r: { participant_id: string }) => r.participant_id)).toContain(
      String(registration.registration_id),
    );
    await runSync(core, { provider: 'runsignup', account: label, full: true });
    expect(core.db.prepare('SELECT first_name, new_registration_id FROM runsignup_removed_registrations WHERE registration_id = ?').get(old.registration_id)).toEqual({
      first_name: old.user.first_name,
      new_registration_id: registration.registration_id,
    });
  });

  it('stores fundraiser charity names, which RunSignUp sends only with include_fundraisers=T', async () => {
    await runSync(core, { provider: 'runsignup', account: label });
    expect(sim.requests.filter((r) => r.path.endsWith('/participants')).every((r) => r.query.get('include_fundraisers') === 'T')).toBe(true);
    const raising = pristine.participants.filter((p) => p.fundraiser_charity_name);
    expect(raising.length).toBeGreaterThan(0);
    for (const p of raising.slice(0, 20)) {
      expect(core.db.prepare('SELECT fundraiser_charity_name FROM runsignup_participants WHERE registration_id = ?').pluck().get(p.registration_id)).toBe(p.fundraiser_charity_name);
    }
    expect(count('SELECT count(*) AS n FROM runsignup_participants WHERE fundraiser_charity_name IS NOT NULL')).toBe(raising.length);
  });

  it('backs the database up before a sync, at most once every 15 minutes', async () => {
    const path = databasePath(core.dataDir);
    expect(listBackups(path)).toEqual([]);
    await runSync(core, { provider: 'runsignup', account: label });
    const [before] = listBackups(path);
    expect(before).toBeDefined();
    // The copy holds the database as it was before the sync wrote anything.
    const copy = new Database(before.path, { readonly: true });
    expect(copy.prepare('SELECT count(*) AS n FROM runsignup_participants').get()).toEqual({ n: 0 });
    copy.close();
    await runSync(core, { provider: 'runsignup', account: label });
    expect(listBackups(path)).toEqual([before]);
  });

  it('stores every page when page 3 has an odd record, records a partial sync with the problem, and moves the cursor', async () => {
    sim.corruptPage(eventId, 3);
    const summary = await runSync(core, { provider: 'runsignup', account: label });
    expect(summary.status).toBe('partial');
    expect(summary.outcomes[0]).toMatchObject({ status: 'partial', records: perEvent, errorCode: null });
    expect(count('SELECT count(*) AS n FROM runsignup_participants')).toBe(perEvent);
    expect(participantHistory()).toEqual([
      expect.objectContaining({ status: 'partial', records_processed: perEvent, error_message: summary.outcomes[0].error }),
    ]);
    expect(count('SELECT count(*) AS n FROM sync_problems')).toBe(2);
    expect(cursor()).toBe(String(Math.max(...pristine.participants.map((p) => p.last_modified))));
  });

  it('stores nothing when RunSignUp refuses the key, and says so plainly', async () => {
    await core.credentials.set(accountKey('runsignup', label), { api_key: key.api_key, api_secret: 'revoked' });
    const result = await dispatch(core, 'sync.run', { provider: 'runsignup', account: label });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'auth_failed',
        message: 'RunSignUp refused the API key and secret (error 6: Key authentication failed). Check them in Settings.',
      },
    });
    expect(count('SELECT count(*) AS n FROM runsignup_events')).toBe(0);
    expect(count('SELECT count(*) AS n FROM runsignup_participants')).toBe(0);
    expect(core.db.prepare(`SELECT status, error_message FROM sync_history`).all()).toEqual([
      { status: 'failed', error_message: expect.stringContaining('refused the API key') },
    ]);
  });

  it('refuses to add an account whose key RunSignUp rejects', async () => {
    const result = await dispatch(core, 'accounts.add', {
      provider: 'runsignup',
      label: 'Typo account',
      baseUrl: sim.url,
      secret: { api_key: 'typo', api_secret: 'typo' },
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'auth_failed' } });
    expect((await call(core, 'accounts.list', {})).map((a: { label: string }) => a.label)).toEqual([label]);
  });
});
