import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';

describe('racedesk station', () => {
  it('prints the joining address with a one-time pairing code as the first line, serves on localhost, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'racedesk-station-cli-'));
    const child = spawn(process.execPath, ['bin/racedesk.js', '--data-dir', dataDir, 'station', '--port', '0', '--name', 'Front desk'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let stdout = '';
      child.stdout.setEncoding('utf8');
      while (!stdout.includes('\n')) {
        const [chunk] = (await once(child.stdout, 'data')) as [string];
        stdout += chunk;
      }
      const url = stdout.split('\n')[0];
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?pair=[A-Z2-9]{4}-[A-Z2-9]{4}$/);
      const origin = url.split('/?')[0];
      const code = url.split('pair=')[1];
      const refused = await fetch(`${origin}/api/call/pickup.counters`, { method: 'POST', body: '{}' });
      expect(refused.status).toBe(401);
      const joined = await fetch(`${origin}/api/pair`, { method: 'POST', body: JSON.stringify({ code, deviceName: 'Table 1' }) });
      const { value } = (await joined.json()) as { value: { token: string; role: string } };
      expect(value.role).toBe('venue');
      const counters = await fetch(`${origin}/api/call/pickup.counters`, { method: 'POST', headers: { Authorization: `Bearer ${value.token}` }, body: '{}' });
      expect(await counters.json()).toMatchObject({ ok: true });
      const info = await fetch(`${origin}/api/call/station.info`, { method: 'POST', headers: { Authorization: `Bearer ${value.token}` }, body: '{}' });
      expect(info.status).toBe(403);
    } finally {
      child.kill('SIGTERM');
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
