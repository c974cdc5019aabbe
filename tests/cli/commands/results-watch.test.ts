import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCore } from '../../helpers/core.ts';
import { seedEvent, eventId } from '../../core/results/seed.ts';

const bin = join(import.meta.dirname, '../../../bin/racedesk.js');
let dataDir: string;
let folder: string;

beforeAll(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'racedesk-cli-watch-'));
  folder = mkdtempSync(join(tmpdir(), 'racedesk-cli-watched-'));
  const core = createTestCore({ dataDir });
  seedEvent(core.db);
  core.close();
});
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

describe('racedesk results watch', () => {
  it('prints a line per imported file and stops on Ctrl-C', async () => {
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, '--json', 'results', 'watch', folder, '--event', eventId], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();

    writeFileSync(join(folder, 'heat1.lif'), '1,1,1,City 10K,,,,\n1,101,,Smith,Ann,,40:30\n2,999,,Walk,Up,,41:00\n');
    const first = await lines.next();
    expect(JSON.parse(first.value as string)).toEqual({ fileName: 'heat1.lif', written: 1, unchanged: 0, held: 1, alreadyHeld: 0, placesChanged: 1 });

    child.kill('SIGINT');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(stderr).toContain(`Watching ${folder} for results of event ${eventId}. Ctrl-C stops.`);
  });

  it('refuses an unknown event before watching', async () => {
    const child = spawn(process.execPath, [bin, '--data-dir', dataDir, 'results', 'watch', folder, '--event', 'nope'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).not.toBe(0);
    expect(stderr).toContain('No event "nope" in the local store.');
    expect(stderr).not.toContain('Watching');
  });
});
