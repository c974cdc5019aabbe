import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfSettings } from '../../../src-main/core/settings/conf-settings.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';
import { RaceDeskError } from '../../../src-main/core/errors.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('settings file', () => {
  it('lives as config.json in the data folder, where electron-store keeps it, and survives reopening', () => {
    const dir = mkdtempSync(join(tmpdir(), 'racedesk-settings-'));
    dirs.push(dir);
    const store = createConfSettings(dir);
    expect(store.path).toBe(join(dir, 'config.json'));
    expect(store.read().accounts).toEqual([]);
    updateSettings(store, (s) => ({ ...s, partner: { id: 3, name: 'Acme' }, accounts: [{ provider: 'runsignup', label: 'main' }] }));
    expect(createConfSettings(dir).read().partner).toEqual({ id: 3, name: 'Acme' });
    expect(JSON.parse(readFileSync(store.path, 'utf8')).accounts).toEqual([{ provider: 'runsignup', label: 'main' }]);
  });

  it('rejects settings that do not fit the schema and leaves the file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'racedesk-settings-'));
    dirs.push(dir);
    const store = createConfSettings(dir);
    updateSettings(store, (s) => ({ ...s, partner: { id: 3, name: 'Acme' } }));
    expect(() => updateSettings(store, (s) => ({ ...s, partner: { id: -1, name: '' } }))).toThrow();
    expect(store.read().partner).toEqual({ id: 3, name: 'Acme' });
  });

  it('names the file and the key, in one line, when a hand-edited file fails the schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'racedesk-settings-'));
    dirs.push(dir);
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ partner: { id: 3, name: 'Acme' }, station: { name: 'Desk', port: 99999 } }));
    expect(() => createConfSettings(dir).read()).toThrow(
      new RaceDeskError('invalid_input', `${path}: station.port: Too big: expected number to be <=65535. Correct that key in the file, or delete the key to get its default.`),
    );
    writeFileSync(path, JSON.stringify({ accounts: [{ provider: 'runsignup', label: 'a' }, { provider: 'nope', label: '' }] }));
    expect(() => createConfSettings(dir).read()).toThrow(/^[^\n]*config\.json: accounts\.1\.provider: .* \(and 1 more problem\)\. Correct that key/);
  });

  it('names a file cut short (not JSON) and leaves it as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'racedesk-settings-'));
    dirs.push(dir);
    const path = join(dir, 'config.json');
    writeFileSync(path, '{"partner": {"id": 3, "na');
    expect(() => createConfSettings(dir).read()).toThrow(
      `${path} is not valid JSON. Correct it, or move it away to start again from the default settings (accounts and the hub must then be set again).`,
    );
    expect(readFileSync(path, 'utf8')).toBe('{"partner": {"id": 3, "na');
  });

  it('creates the data folder for this user only and the file 0600', () => {
    const parent = mkdtempSync(join(tmpdir(), 'racedesk-settings-'));
    dirs.push(parent);
    const dir = join(parent, 'RaceDesk');
    const store = createConfSettings(dir);
    updateSettings(store, (s) => ({ ...s, partner: { id: 3, name: 'Acme' } }));
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
  });
});
