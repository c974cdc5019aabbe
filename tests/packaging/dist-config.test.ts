import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
// @ts-expect-error: a plain JS script (scripts/check-dist-config.js), also run as `npm run check:dist-config`.
import { checkDistConfig } from '../../scripts/check-dist-config.js';

const root = join(import.meta.dirname, '../..');

describe('electron-builder.yml', () => {
  it("passes electron-builder's own schema check, with the targets and icons the release needs", async () => {
    const config = await checkDistConfig(root);
    expect(config).toMatchObject({
      appId: 'com.project88.racedesk',
      productName: 'RaceDesk',
      npmRebuild: false,
      win: { target: [{ target: 'nsis' }] },
      mac: { target: [{ target: 'dmg', arch: ['x64', 'arm64'] }] },
      linux: { target: [{ target: 'AppImage' }, { target: 'deb' }] },
    });
    expect(config.asarUnpack).toContain('**/*.node');
  });

  it('is refused by that check when an option is misspelt (the check can fail)', async () => {
    await expect(checkDistConfig(root, { nsis: { oneClik: false } })).rejects.toThrow(/configuration.nsis/);
  });
});
