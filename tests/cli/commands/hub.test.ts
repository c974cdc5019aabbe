import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner, type NewPartner } from '../../../src-main/core/hub/partners.ts';
import { loginUrl } from '../../core/hub/hub-test-kit.ts';
import { recordCheckIn, workRound } from '../../core/hub/laptop-kit.ts';
import { runRacedesk } from '../../helpers/cli.ts';

// Uses the real OS keychain (the hub password): run inside scripts/with-keychain.js.
const racedesk = (core: TestCore, args: string[]) => runRacedesk(core, args);

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const cores: TestCore[] = [];
afterEach(() => {
  for (const core of cores.splice(0)) core.cleanup();
});

async function laptopOn(hub: { adminUrl: string; partner: NewPartner }): Promise<TestCore> {
  const core = createTestCore();
  cores.push(core);
  await call(core, 'partner.set', { id: hub.partner.timing_partner_id, name: 'Acme Timing' });
  await call(core, 'hub.set', { url: loginUrl(hub.adminUrl, hub.partner.role, hub.partner.password) });
  return core;
}

describe('racedesk hub pull', () => {
  it("brings this laptop the other laptops' rows, says how many, and then that there is nothing more", async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const hub = { adminUrl, partner: await addPartner({ url: adminUrl }, 'Acme Timing') };
    const one = await laptopOn(hub);
    workRound(one.db, 1, 6);
    await call(one, 'hub.push', {});
    const two = await laptopOn(hub);

    const run = await racedesk(two, ['hub', 'pull']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const pulled = /^Pulled (\d+) rows in (\d+) batches\.$/m.exec(run.stdout);
    expect(pulled).not.toBeNull();
    expect(Number(pulled![1])).toBe((await call(two, 'hub.status', {})).lastPull.rowsPulled);
    expect(two.db.prepare(`SELECT count(*) FROM runsignup_participants`).pluck().get()).toBe(one.db.prepare(`SELECT count(*) FROM runsignup_participants`).pluck().get());
    expect(two.db.prepare(`SELECT participant_id FROM participant_state WHERE field = 'checked_in' ORDER BY 1`).pluck().all()).toEqual(
      one.db.prepare(`SELECT participant_id FROM participant_state WHERE field = 'checked_in' ORDER BY 1`).pluck().all(),
    );

    expect(await racedesk(two, ['hub', 'pull'])).toMatchObject({ code: 0, stdout: 'Nothing to pull: this laptop has everything the hub holds.\n' });
    recordCheckIn(one.db, { participantId: '1003', kind: 'check_in', changedAt: '2025-06-14T09:00:00.000Z', station: 'North tent' });
    await call(one, 'hub.push', {});
    const json = await racedesk(two, ['--json', 'hub', 'pull']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ batches: 1, rows: 1, keptLocal: 0 });
  });

  it('names what is missing on a laptop with no hub set up, and writes nothing', async () => {
    const lonely = createTestCore();
    cores.push(lonely);
    const run = await racedesk(lonely, ['hub', 'pull']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('No hub is set up on this laptop: run racedesk hub set --url URL');
    expect((await call(lonely, 'hub.status', {})).lastPull).toMatchObject({ at: null, rowsPulled: 0 });
  });
});
