import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { installedElectron } from './electron-binary.ts';
import { electronSqliteBinding } from '../../src-main/electron/native-binding.ts';

/*
 * The real desktop app (out/main, built by npm test) launched through Playwright's Electron
 * driver. Needs the Electron binary (`npx install-electron` on a machine with internet) and
 * better-sqlite3 built for it (`npm run rebuild:electron`); without the binary it is skipped.
 */
const root = join(import.meta.dirname, '../..');
const executablePath = installedElectron();
const title = executablePath
  ? 'desktop app (Electron)'
  : 'desktop app (Electron) — SKIPPED: no Electron binary in node_modules/electron/dist (it cannot be downloaded here; run `npx install-electron` where it can)';

if (!executablePath) console.warn(title);

describe.skipIf(!executablePath)(title, () => {
  let app: ElectronApplication;
  let window: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'racedesk-electron-'));

  beforeAll(async () => {
    const binding = electronSqliteBinding({ isPackaged: false, appPath: root, resourcesPath: '', arch: process.arch });
    if (!existsSync(binding)) throw new Error(`${binding} is missing: run \`npm run rebuild:electron\` first.`);
    app = await electron.launch({
      executablePath: executablePath!,
      args: [root, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
      env: { ...process.env, RACEDESK_DATA_DIR: dataDir, RACEDESK_KEYCHAIN_SERVICE: `racedesk-test-${randomUUID()}` },
    });
    window = await app.firstWindow();
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens one locked-down window whose page reaches the core host only through window.racedesk', async () => {
    await window.waitForLoadState('domcontentloaded');
    expect(await window.title()).toBe('RaceDesk');
    expect(await window.evaluate(() => Object.keys((window as unknown as { racedesk: object }).racedesk).sort())).toEqual(['invoke', 'on']);
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    const result = await window.evaluate(() =>
      (window as unknown as { racedesk: { invoke(n: string, i: unknown): Promise<unknown> } }).racedesk.invoke('partner.set', { id: 3, name: 'Electron Timing' }),
    );
    expect(result).toMatchObject({ ok: true });
  });

  it('closes the core host and the database before it exits', async () => {
    const exited = new Promise<number | null>((resolve) => app.process().once('exit', (code) => resolve(code)));
    await app.close();
    expect(await exited).toBe(0);
    expect(JSON.parse(readFileSync(join(dataDir, 'config.json'), 'utf8')).partner).toEqual({ id: 3, name: 'Electron Timing' });
  });
});
