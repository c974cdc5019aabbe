import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConfSettings } from '../../../src-main/core/settings/conf-settings.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';

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
});
