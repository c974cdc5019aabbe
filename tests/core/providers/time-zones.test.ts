import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/*
 * The mapping tests again, in child vitest runs under three laptop time zones: a provider time
 * without an offset must become the same stored instant whatever zone the laptop is set to.
 */
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const here = fileURLToPath(new URL('.', import.meta.url));
const mappingTests = [
  ...readdirSync(here, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(here, entry.name, 'mapping.test.ts'))
    .filter((file) => readdirSync(join(file, '..')).includes('mapping.test.ts')),
  join(here, 'zoned-time.test.ts'),
];
const vitest = join(repoRoot, 'node_modules', 'vitest', 'vitest.mjs');

describe('provider mappings under the laptop time zones crews use', () => {
  for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Tokyo']) {
    it(`passes with TZ=${zone}`, () => {
      const env = { ...process.env, TZ: zone, NO_COLOR: '1', FORCE_COLOR: '0' };
      // A child under this environment really is in that zone.
      const seen = spawnSync(process.execPath, ['-e', 'process.stdout.write(Intl.DateTimeFormat().resolvedOptions().timeZone)'], { env, encoding: 'utf8' });
      expect(seen.stdout).toBe(zone);
      const run = spawnSync(process.execPath, [vitest, 'run', ...mappingTests, '--maxWorkers=1', '--reporter=dot'], { cwd: repoRoot, env, encoding: 'utf8' });
      expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`Test Files\\s+${mappingTests.length} passed`));
    });
  }
});
