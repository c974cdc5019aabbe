import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { startRunSignUpSimulator, type RunSignUpSimulator } from '../../../src-main/simulators/runsignup.ts';
import { makeRunSignUpDataset } from '../../../src-main/datasets/runsignup.ts';
import { createKeychain } from '../../../src-main/core/credentials/keychain.ts';
import { forDataFolder } from '../../../src-main/core/credentials/data-folder.ts';
import { runRacedesk } from '../../helpers/cli.ts';

/* The real `racedesk` in a child process (run inside scripts/with-keychain.js), publishing to the simulator. */
const keychainService = `racedesk-test-${randomUUID()}`;
let dataDir: string;
let sim: RunSignUpSimulator;
let eventId: string;

const racedesk = (args: string[], stdin?: string) => runRacedesk({ dataDir, keychainService }, args, stdin);

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'racedesk-cli-publish-'));
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 4, races: 1, eventsPerRace: 1, participantsPerEvent: 10 }) });
  eventId = String(sim.dataset.races[0].events[0].event_id);
  const setup = [
    await racedesk(['partner', 'set', '--id', '1', '--name', 'Acme Timing']),
    await racedesk(['account', 'add', 'runsignup', '--label', 'main', '--base-url', sim.url], JSON.stringify({ api_key: 'demo-rsu-key', api_secret: 'demo-rsu-secret' })),
    await racedesk(['sync', 'runsignup', '--account', 'main']),
  ];
  expect(setup.map((run) => run.code)).toEqual([0, 0, 0]);
  const [a, b, c] = sim.dataset.participants.filter((p) => p.bib_num !== null);
  const file = join(dataDir, 'finish.csv');
  writeFileSync(file, `Bib,Chip Time,Status\n${a.bib_num},20:01,\n${b.bib_num},21:30,\n${c.bib_num},,DNS\n424242,22:00,\n`);
  expect((await racedesk(['results', 'import', file, '--event', eventId])).code).toBe(0);
});
afterAll(async () => {
  await sim?.close();
  // The entry may already be gone (the account was removed).
  await forDataFolder(createKeychain(keychainService), dataDir)
    .delete('runsignup:main')
    .catch(() => undefined);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('racedesk results publish', () => {
  it('publishes with progress lines on stderr, and a re-publish replaces the same result set', async () => {
    const first = await racedesk(['results', 'publish', '--event', eventId]);
    expect(first.code, first.stderr).toBe(0);
    const setId = sim.resultSets()[0].individual_result_set_id;
    expect(first.stdout).toMatch(new RegExp(`^Published 3 results of .+ to RunSignUp result set ${setId} \\(a new result set\\)\\.\\n$`));
    expect(first.stderr).toBe('RunSignUp: 0 of 3 results sent\nRunSignUp: 3 of 3 results sent\n');

    const again = await racedesk(['--json', 'results', 'publish', '--event', eventId]);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ resultSetId: String(setId), replaced: true, rows: 3, accepted: 3, rejected: [] });
    expect(sim.resultSets()).toHaveLength(1);
    expect(sim.resultSets()[0].results.map((row) => row.clock_time || row.chip_time)).toEqual(['0:20:01.000', '0:21:30.000', 'DNS']);
  });

  it('refuses an event it does not know, naming it', async () => {
    const run = await racedesk(['results', 'publish', '--event', 'nope']);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('No event "nope" in the local store.');
  });
});
