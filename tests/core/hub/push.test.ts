import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { startTcpProxy } from '../../helpers/tcp-proxy.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { batchStepRows, laptopId, lastPush, pendingChangeCount, refusedRows, takeBatch } from '../../../src-main/core/hub/outbox.ts';
import { RaceDeskError } from '../../../src-main/core/errors.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { claimNextJob, enqueueJob } from '../../../src-main/core/sync/job-queue.ts';
import { finishHistory, startHistory } from '../../../src-main/core/sync/history.ts';
import { loginUrl, partnerHub, query, type PartnerHub } from './hub-test-kit.ts';
import { hubSnapshot, localSnapshot, laptopsClosedAfterEach, recordCheckIn, workRound, type Laptop } from './laptop-kit.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const laptop = laptopsClosedAfterEach();
const hub = () => partnerHub(server);

const connection = (h: PartnerHub, url = h.url) => ({ url, password: h.partner.password });

async function expectHubEqualsLaptop(h: PartnerHub, l: Laptop): Promise<void> {
  expect(pendingChangeCount(l.db)).toBe(0);
  expect(await hubSnapshot(h.adminUrl, h.partner.timing_partner_id, laptopId(l.db))).toEqual(localSnapshot(l.db));
}

describe('push', () => {
  it('sends every pending change in batches and leaves the hub equal to the laptop', async () => {
    const h = await hub();
    const l = laptop();
    workRound(l.db, 1);
    workRound(l.db, 2);
    const pending = pendingChangeCount(l.db);
    const summary = await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id, batchSize: 10 });
    expect(summary).toEqual({ batches: Math.ceil(pending / 10), rows: pending, pending: 0 });
    await expectHubEqualsLaptop(h, l);
    expect(lastPush(l.db)).toMatchObject({ rowsPushed: pending, lastError: null });

    // Later changes, including deletes, follow; a push with nothing pending does nothing.
    workRound(l.db, 3);
    await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    await expectHubEqualsLaptop(h, l);
    expect(await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id })).toEqual({ batches: 0, rows: 0, pending: 0 });
    // Every row on the hub carries the partner, whatever the laptop had in timing_partner_id.
    expect(await query(h.adminUrl, `SELECT DISTINCT timing_partner_id FROM runsignup_participants`)).toEqual([{ timing_partner_id: h.partner.timing_partner_id }]);
  });

  it('applies each batch once whether the hub holds none, some or all of its rows (another laptop sent them)', async () => {
    const h = await hub();
    const [first, second] = [laptop(), laptop()];
    const runners = (from: number, to: number, name: string) =>
      Array.from({ length: to - from }, (_, i) => ({ registration_id: from + i, race_id: 9, event_id: 1, first_name: `${name}${from + i}` }));
    for (const l of [first, second]) upsertRows(l.db, 'runsignup_events', ['event_id'], [{ event_id: 1, race_id: 9, name: '5K' }]);
    upsertRows(first.db, 'runsignup_participants', ['registration_id'], runners(10, 20, 'first'));
    await pushPendingChanges(first.db, { connection: connection(h), partnerId: h.partner.timing_partner_id, batchSize: 4 });
    // Batches of 7 out of 31 entries: the hub holds the event and ten of the runners, spread over them.
    upsertRows(second.db, 'runsignup_participants', ['registration_id'], runners(0, 30, 'second'));
    const summary = await pushPendingChanges(second.db, { connection: connection(h), partnerId: h.partner.timing_partner_id, batchSize: 7 });
    expect(summary).toEqual({ batches: 5, rows: 31, pending: 0 });

    const onHub = await query<{ registration_id: number; first_name: string }>(
      h.adminUrl,
      `SELECT registration_id, first_name FROM runsignup_participants WHERE timing_partner_id = $1 ORDER BY registration_id`,
      [h.partner.timing_partner_id],
    );
    expect(onHub).toEqual(runners(0, 30, 'second').map(({ registration_id, first_name }) => ({ registration_id, first_name })));
    expect(await query(h.adminUrl, `SELECT count(*)::int AS n FROM hub_applied_batches`)).toEqual([{ n: 3 + 5 }]);
  });

  it('leaves the hub equal to the laptop whatever the batch size: one row, just under, exactly and just over what is pending', async () => {
    const h = await hub();
    const l = laptop();
    for (const [round, spare] of [[1, null], [2, -1], [3, 0], [4, 1]] as const) {
      workRound(l.db, round, 8);
      const pending = pendingChangeCount(l.db);
      const batchSize = spare === null ? 1 : pending + spare;
      const summary = await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id, batchSize });
      expect(summary).toEqual({ batches: Math.ceil(pending / batchSize), rows: pending, pending: 0 });
      await expectHubEqualsLaptop(h, l);
    }
    const [applied] = await query(h.adminUrl, `SELECT sum(row_count)::int AS rows FROM hub_applied_batches`);
    expect(applied.rows).toBe(lastPush(l.db).rowsPushed);
  });

  it('carries values exactly: quotes, commas, backslashes, line breaks, accents, numbers, JSON, an empty string, and a value cleared to NULL', async () => {
    const h = await hub();
    const l = laptop();
    const push = () => pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    const awkward = `O'Brien, Jr. "the \\ back\\slash"\nZoë Łukasz\t😀\r\n"",`;
    upsertRows(l.db, 'runsignup_events', ['event_id'], [{ event_id: 1, race_id: 9, name: awkward, distance: 42.195, volunteer: 1 }]);
    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [
      { registration_id: 7, event_id: 1, race_id: 9, first_name: awkward, middle_name: 'Quinn', last_name: '', amount_paid: 35.5, address: JSON.stringify({ city: 'Québec', note: 'a "b" \\ c' }) },
    ]);
    await push();
    const select = `SELECT e.name AS event_name, e.distance::text AS distance, e.volunteer, p.first_name, p.middle_name, p.last_name, p.amount_paid::text AS paid, p.address
      FROM runsignup_participants p JOIN runsignup_events e USING (event_id)`;
    expect(await query(h.adminUrl, select)).toEqual([
      { event_name: awkward, distance: '42.20', volunteer: true, first_name: awkward, middle_name: 'Quinn', last_name: '', paid: '35.50', address: { city: 'Québec', note: 'a "b" \\ c' } },
    ]);
    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [{ registration_id: 7, event_id: 1, race_id: 9, middle_name: null, address: null }]);
    await push();
    expect(await query(h.adminUrl, `SELECT middle_name, address, first_name FROM runsignup_participants`)).toEqual([{ middle_name: null, address: null, first_name: awkward }]);
  });

  it('sends a batch whose snapshots an earlier version took as JSON objects, values exact', async () => {
    const h = await hub();
    const l = laptop();
    const awkward = `Núñez, "Ana"\n\\ 😀`;
    upsertRows(l.db, 'runsignup_events', ['event_id'], [{ event_id: 1, race_id: 9, name: awkward, distance: 42.195, volunteer: 1 }]);
    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [
      { registration_id: 7, event_id: 1, race_id: 9, first_name: awkward, middle_name: null, last_name: '', amount_paid: 35.5, address: JSON.stringify({ city: 'Québec' }) },
    ]);
    // As versions before 42 left a batch in flight: row_data JSON (NULLs listed or left out), no CSV, no column list.
    const batch = takeBatch(l.db, 100)!;
    l.db.prepare(`UPDATE hub_outbox SET row_csv = NULL, row_data = ? WHERE table_name = 'runsignup_events'`).run(JSON.stringify({ event_id: 1, race_id: 9, name: awkward, distance: 42.195, volunteer: 1, details: null }));
    l.db.prepare(`UPDATE hub_outbox SET row_csv = NULL, row_data = ? WHERE table_name = 'runsignup_participants'`).run(
      JSON.stringify({ registration_id: 7, event_id: 1, race_id: 9, first_name: awkward, middle_name: null, last_name: '', amount_paid: 35.5, address: JSON.stringify({ city: 'Québec' }) }),
    );
    l.db.prepare(`UPDATE hub_outbox_batches SET columns = NULL WHERE batch_id = ?`).run(batch.batchId);
    expect(await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id })).toEqual({ batches: 1, rows: 2, pending: 0 });
    expect(
      await query(h.adminUrl, `SELECT e.name, e.distance::text AS distance, e.volunteer, p.first_name, p.middle_name, p.last_name, p.amount_paid::text AS paid, p.address FROM runsignup_participants p JOIN runsignup_events e USING (event_id)`),
    ).toEqual([{ name: awkward, distance: '42.20', volunteer: true, first_name: awkward, middle_name: null, last_name: '', paid: '35.50', address: { city: 'Québec' } }]);
  });

  it('tells the hub a run whose process died is interrupted, where it had it running', async () => {
    const h = await hub();
    const l = laptop();
    const push = () => pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    const t0 = Date.parse('2026-05-10T07:00:00Z');
    const lease = { leaseMs: 60_000 };
    enqueueJob(l.db, { provider: 'runsignup', account: 'Main', syncType: 'participants', eventId: '5001' }, t0);
    claimNextJob(l.db, { worker: 'gone', now: t0, ...lease });
    startHistory(l.db, { partnerId: null, provider: 'runsignup', syncType: 'participants', account: 'Main', eventId: '5001' });
    await push();
    const hubHistory = () => query(h.adminUrl, `SELECT status, error_message FROM sync_history WHERE laptop_id = $1`, [laptopId(l.db)]);
    expect(await hubHistory()).toEqual([{ status: 'running', error_message: null }]);

    // Its lease ran out: another scheduler takes the job over and closes the dead attempt's row.
    claimNextJob(l.db, { worker: 'alive', now: t0 + 60_001, ...lease });
    await push();
    expect(await hubHistory()).toEqual([{ status: 'interrupted', error_message: 'The app stopped during this run; the job was started again.' }]);
  });

  it("tells the hub how many of a run's records were unchanged", async () => {
    const h = await hub();
    const l = laptop();
    const id = startHistory(l.db, { partnerId: null, provider: 'chronotrack', syncType: 'participants', account: 'Main', eventId: '77' });
    finishHistory(l.db, id, { status: 'success', records: 26_800, unchanged: 26_799 });
    await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    expect(await query(h.adminUrl, `SELECT records_processed, records_unchanged FROM sync_history WHERE laptop_id = $1`, [laptopId(l.db)])).toEqual([
      { records_processed: 26_800, records_unchanged: 26_799 },
    ]);
  });

  it('says what to grant when the hub login may not create the temporary staging table, and keeps the changes queued', async () => {
    const h = await hub();
    const l = laptop();
    workRound(l.db, 1, 3);
    const database = new URL(h.adminUrl).pathname.slice(1);
    await query(h.adminUrl, `REVOKE TEMPORARY ON DATABASE "${database}" FROM PUBLIC`);
    const pending = pendingChangeCount(l.db);
    const error = await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id }).catch((e) => e);
    expect(error).toMatchObject({ code: 'hub_error', message: expect.stringContaining('may not create temporary tables') });
    expect(error.message).toContain('GRANT TEMPORARY ON DATABASE <the hub database> TO racedesk_partner');
    expect(pendingChangeCount(l.db)).toBe(pending);

    await query(h.adminUrl, `GRANT TEMPORARY ON DATABASE "${database}" TO racedesk_partner`);
    await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    await expectHubEqualsLaptop(h, l);
  });

  it('sets aside a row whose JSON the hub cannot read, with the reason, and pushes the rest; fixed, the row goes and leaves the list', async () => {
    const h = await hub();
    const l = laptop();
    workRound(l.db, 1, 3);
    // The local CHECK keeps invalid JSON out; a store written by other means may still hold some.
    l.db.pragma('ignore_check_constraints = ON');
    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [{ registration_id: 1001, event_id: 1, race_id: 9, address: '{"city": "Bend"' }]);
    l.db.pragma('ignore_check_constraints = OFF');
    await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    expect(pendingChangeCount(l.db)).toBe(0);
    expect(refusedRows(l.db)).toEqual([
      { table: 'runsignup_participants', key: { registration_id: 1001 }, reason: expect.stringMatching(/^invalid input syntax for type json/), refusedAt: expect.any(String) },
    ]);
    expect(await query(h.adminUrl, `SELECT registration_id FROM runsignup_participants ORDER BY 1`)).toEqual([{ registration_id: 1000 }, { registration_id: 1002 }]);

    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [{ registration_id: 1001, event_id: 1, race_id: 9, address: '{"city": "Bend"}' }]);
    await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    expect(refusedRows(l.db)).toEqual([]);
    await expectHubEqualsLaptop(h, l);
  });

  it('a row the hub refuses does not stop the rows behind it, in its batch or after it', async () => {
    const h = await hub();
    const l = laptop();
    workRound(l.db, 1, 12);
    // The hub keeps the seed's VARCHAR(20) bib; the laptop's column has no length.
    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [{ registration_id: 2000, event_id: 1, race_id: 9, bib_num: 'B'.repeat(30) }]);
    workRound(l.db, 2, 12);
    const summary = await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id, batchSize: 4 });
    expect(summary.pending).toBe(0);
    expect(refusedRows(l.db)).toEqual([
      { table: 'runsignup_participants', key: { registration_id: 2000 }, reason: 'value too long for type character varying(20)', refusedAt: expect.any(String) },
    ]);
    const onHub = await hubSnapshot(h.adminUrl, h.partner.timing_partner_id, laptopId(l.db));
    const local = localSnapshot(l.db);
    expect(onHub.runsignup_participants).toEqual(local.runsignup_participants.filter((row) => !row.startsWith('2000|')));
    expect({ ...onHub, runsignup_participants: [] }).toEqual({ ...local, runsignup_participants: [] });
  });

  it('skips a batch the hub already applied when the laptop did not hear back', async () => {
    const h = await hub();
    const l = laptop();
    workRound(l.db, 1, 5);
    const lostReply = pushPendingChanges(l.db, {
      connection: connection(h),
      partnerId: h.partner.timing_partner_id,
      checkpoint: (step) => {
        if (step === 'hub-committed') throw new RaceDeskError('network_error', 'reply lost');
      },
    });
    await expect(lostReply).rejects.toThrow('reply lost');
    expect(lastPush(l.db).lastError).toMatch('reply lost');
    const [applied] = await query(h.adminUrl, `SELECT count(*)::int AS n FROM hub_applied_batches`);
    expect(applied.n).toBe(1);
    const resent = await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    expect(resent.batches).toBe(1);
    expect(await query(h.adminUrl, `SELECT count(*)::int AS n FROM hub_applied_batches`)).toEqual([{ n: 1 }]);
    await expectHubEqualsLaptop(h, l);
  });

  it('resends batches left in flight in the order they were taken, so a row changed between them ends with its later value', async () => {
    const h = await hub();
    const l = laptop();
    const runner = (first_name: string) => ({ registration_id: 7, race_id: 9, event_id: 1, first_name, bib_num: '7' });
    upsertRows(l.db, 'runsignup_events', ['event_id'], [{ event_id: 1, race_id: 9, name: 'Harbor 10K' }]);
    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [runner('Ada')]);
    // A push that died after taking two batches, the runner edited in between.
    const first = takeBatch(l.db, 100)!;
    upsertRows(l.db, 'runsignup_participants', ['registration_id'], [runner('Adah')]);
    takeBatch(l.db, 100, first.batchId);
    const summary = await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    expect(summary).toMatchObject({ batches: 2, rows: 3, pending: 0 });
    expect(await query(h.adminUrl, `SELECT first_name FROM runsignup_participants`)).toEqual([{ first_name: 'Adah' }]);
    await expectHubEqualsLaptop(h, l);
  });

  it('confirms the last batch and takes the next one while the hub applies the current one', async () => {
    const h = await hub();
    const l = laptop();
    workRound(l.db, 1, 40);
    const inFlight = () => l.db.prepare(`SELECT batch_id FROM hub_outbox_batches ORDER BY taken`).pluck().all();
    const seen: Array<{ batch: string; inFlight: unknown[] }> = [];
    const order: string[] = [];
    await pushPendingChanges(l.db, {
      connection: connection(h),
      partnerId: h.partner.timing_partner_id,
      batchSize: 10,
      checkpoint: (step, batch) => {
        if (step === 'batch-taken') order.push(batch.batchId);
        if (step === 'hub-committed') seen.push({ batch: batch.batchId, inFlight: inFlight() });
      },
    });
    expect(order.length).toBeGreaterThanOrEqual(4);
    // When the hub commits batch k, batch k-1 has left the outbox and batch k+1 is already taken.
    expect(seen[0].inFlight).toEqual([order[0], order[1]]);
    expect(seen[1].inFlight).toEqual([order[1], order[2]]);
    // The last batch has no successor: only it is in flight when the hub commits it.
    expect(seen.at(-1)!.inFlight).toEqual([order.at(-1)]);
    await expectHubEqualsLaptop(h, l);
  });

  it('takes a batch larger than a step in several transactions, letting the event loop run between them', async () => {
    const h = await hub();
    const l = laptop();
    workRound(l.db, 1, 2 * batchStepRows + 300);
    const pending = pendingChangeCount(l.db);
    // What another caller on the core's event loop (a window, a venue device) sees while the batch is taken.
    const seen = new Set<number>();
    let done = false;
    const watch = () => {
      if (done) return;
      seen.add(l.db.prepare(`SELECT count(*) FROM hub_outbox WHERE batch_id IS NOT NULL`).pluck().get() as number);
      setImmediate(watch);
    };
    watch();
    try {
      const summary = await pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
      expect(summary).toEqual({ batches: 1, rows: pending, pending: 0 });
    } finally {
      done = true;
    }
    expect([...seen].filter((n) => n > 0 && n < pending).sort((a, b) => a - b)).toEqual([batchStepRows, 2 * batchStepRows]);
    await expectHubEqualsLaptop(h, l);
  });

  it("refuses a login that is not this laptop's partner, and pushes nothing", async () => {
    const h = await hub();
    const other = await addPartner({ url: h.adminUrl }, 'Beta Racing');
    const l = laptop();
    workRound(l.db, 1, 3);
    const pending = pendingChangeCount(l.db);
    await expect(
      pushPendingChanges(l.db, { connection: { url: loginUrl(h.adminUrl, other.role, ''), password: other.password }, partnerId: h.partner.timing_partner_id }),
    ).rejects.toThrow(`belongs to timing partner ${other.timing_partner_id}, but this laptop is set up for timing partner ${h.partner.timing_partner_id}`);
    await expect(pushPendingChanges(l.db, { connection: { url: h.adminUrl }, partnerId: h.partner.timing_partner_id })).rejects.toThrow(
      /is not a timing partner's login/,
    );
    expect(pendingChangeCount(l.db)).toBe(pending);
    expect(await query(h.adminUrl, `SELECT count(*)::int AS n FROM runsignup_events`)).toEqual([{ n: 0 }]);
  });

  it('says when the hub cannot be reached, and keeps the changes queued', async () => {
    const h = await hub();
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(h.adminUrl).port) });
    const l = laptop();
    workRound(l.db, 1, 3);
    const url = new URL(h.url);
    url.port = String(proxy.port);
    await proxy.close();
    const error = await pushPendingChanges(l.db, { connection: connection(h, url.toString()), partnerId: h.partner.timing_partner_id }).catch((e) => e);
    expect(error).toMatchObject({ code: 'network_error', message: expect.stringMatching(/Cannot reach the hub .*changes stay queued/) });
    expect(pendingChangeCount(l.db)).toBeGreaterThan(0);
  });

  it('recovers from a connection cut at many different bytes of a push', async () => {
    const h = await hub();
    const proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(h.adminUrl).port) });
    const viaProxy = new URL(h.url);
    viaProxy.port = String(proxy.port);
    const l = laptop();
    try {
      let cutsThatFailedAPush = 0;
      for (const [round, cutAt] of [150, 400, 700, 1_000, 1_500, 2_200, 3_000, 4_500, 6_000, 9_000].entries()) {
        workRound(l.db, round, 20);
        proxy.cutAfter(cutAt);
        const outcome = await pushPendingChanges(l.db, { connection: connection(h, viaProxy.toString()), partnerId: h.partner.timing_partner_id, batchSize: 8 }).catch(
          (error: RaceDeskError) => error,
        );
        if (outcome instanceof RaceDeskError) {
          expect(outcome.code).toBe('network_error');
          expect(proxy.cut).toBe(true);
          cutsThatFailedAPush += 1;
        }
        proxy.restore();
        await pushPendingChanges(l.db, { connection: connection(h, viaProxy.toString()), partnerId: h.partner.timing_partner_id, batchSize: 8 });
        await expectHubEqualsLaptop(h, l);
      }
      expect(cutsThatFailedAPush).toBeGreaterThanOrEqual(8);
    } finally {
      await proxy.close();
    }
  });

  it('survives SIGKILL at every step of a push: the next push leaves the hub equal to the laptop', async () => {
    const h = await hub();
    const l = laptop();
    const runChild = (stopAt: number) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(
          process.execPath,
          ['--import', 'tsx', join(import.meta.dirname, 'push-child.ts'), l.path, h.url, h.partner.password, String(h.partner.timing_partner_id), '6', String(stopAt)],
          { cwd: join(import.meta.dirname, '../../..'), stdio: ['ignore', 'pipe', 'pipe'] },
        );
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes('stopped')) child.kill('SIGKILL');
        });
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        child.on('exit', (code, signal) => (signal === 'SIGKILL' || code === 0 ? resolve(out) : reject(new Error(`push child failed: ${err}`))));
      });

    // Steps per batch: taken, marked on the hub, one per table applied, committed, done on the laptop.
    const killedAt: number[] = [];
    for (const [round, stopAt] of [1, 2, 3, 4, 5, 6, 8, 11, 14, 19].entries()) {
      workRound(l.db, round, 12);
      const output = await runChild(stopAt);
      if (output.includes('stopped')) killedAt.push(stopAt);
    }
    expect(killedAt.length).toBeGreaterThanOrEqual(8);
    const finished = JSON.parse(await runChild(0)) as { pending: number };
    expect(finished.pending).toBe(0);
    await expectHubEqualsLaptop(h, l);
    // Nothing doubled: every natural key is on the hub once.
    const [dupes] = await query(
      h.adminUrl,
      `SELECT (SELECT count(*) - count(DISTINCT registration_id) FROM runsignup_participants)::int AS participants,
              (SELECT count(*) - count(DISTINCT local_id) FROM sync_history)::int AS history`,
    );
    expect(dupes).toEqual({ participants: 0, history: 0 });
  });

  it('resolves two laptops editing the same participant by the newest edit per field, keeping both in the trail', async () => {
    const h = await hub();
    const [one, two] = [laptop(), laptop()];
    const push = (l: Laptop) => pushPendingChanges(l.db, { connection: connection(h), partnerId: h.partner.timing_partner_id });
    // Laptop one changes the bib first; laptop two changes it later but pushes first.
    recordCheckIn(one.db, { participantId: '1001', kind: 'bib_change', field: 'bib_number', newValue: '501', changedAt: '2025-06-14T08:00:01.000Z', station: 'Desk 1' });
    recordCheckIn(two.db, { participantId: '1001', kind: 'bib_change', field: 'bib_number', newValue: '777', changedAt: '2025-06-14T08:00:02.000Z', station: 'Desk 2' });
    recordCheckIn(one.db, { participantId: '1001', kind: 'edit', field: 'team_name', newValue: 'Harriers', changedAt: '2025-06-14T08:00:03.000Z', station: 'Desk 1' });
    // Same instant on both laptops: the larger change_id wins, on either side.
    recordCheckIn(one.db, { participantId: '1002', kind: 'edit', field: 'city', newValue: 'Bend', changedAt: '2025-06-14T09:00:00.000Z', station: 'Desk 1', changeId: 'aaaa-1' });
    recordCheckIn(two.db, { participantId: '1002', kind: 'edit', field: 'city', newValue: 'Sisters', changedAt: '2025-06-14T09:00:00.000Z', station: 'Desk 2', changeId: 'bbbb-2' });
    // Check-in on one laptop, undone later on the other.
    recordCheckIn(one.db, { participantId: '1003', kind: 'check_in', changedAt: '2025-06-14T10:00:00.000Z', station: 'Desk 1' });
    recordCheckIn(two.db, { participantId: '1003', kind: 'undo_check_in', changedAt: '2025-06-14T10:05:00.000Z', station: 'Desk 2' });
    await push(two);
    await push(one);

    const values = await query(h.adminUrl, `SELECT participant_id, field, value, station_name FROM participant_field_values ORDER BY 1, 2`);
    expect(values).toEqual([
      { participant_id: '1001', field: 'bib_number', value: '777', station_name: 'Desk 2' },
      { participant_id: '1001', field: 'team_name', value: 'Harriers', station_name: 'Desk 1' },
      { participant_id: '1002', field: 'city', value: 'Sisters', station_name: 'Desk 2' },
    ]);
    expect(await query(h.adminUrl, `SELECT participant_id, checked_in FROM participant_check_ins`)).toEqual([{ participant_id: '1003', checked_in: false }]);
    expect(await query(h.adminUrl, `SELECT new_value FROM participant_changes WHERE field = 'bib_number' ORDER BY changed_at`)).toEqual([
      { new_value: '501' },
      { new_value: '777' },
    ]);
  });
});
