import { call, createTestCore, type TestCore } from './core.ts';
import { startDemoProviders, syncDemoAccounts } from '../../src-main/demo/demo.ts';
import { serveTestCore, type TestStation } from './station.ts';

export interface DemoStationOptions {
  /** 'demo' (default): the full demo data of all five providers, as `npm run demo` serves it. */
  size?: 'small' | 'demo';
  /** Folder with the built renderer; default out/renderer (run `npx electron-vite build` first). */
  staticDir?: string;
}

/**
 * A real station over a fresh data folder holding what `npm run demo` syncs: every provider's
 * simulator, an account for each, all synced, walk-up ranges set. No hub (the UI tests do not
 * push). For Playwright tests that must see the screens as a crew sees them with the demo data.
 * Needs the OS keychain: run under `node scripts/with-keychain.js`.
 */
export async function startDemoStation(options: DemoStationOptions = {}): Promise<TestStation> {
  const core: TestCore = createTestCore();
  await call(core, 'partner.set', { id: 1, name: 'Demo Timing Co.' });
  const providers = await startDemoProviders(core, { size: options.size ?? 'demo' });
  try {
    const outcomes = await syncDemoAccounts(core, providers.accounts, { timeLimitMs: 120_000 });
    const failed = outcomes.filter((o) => o.status !== 'success');
    if (failed.length > 0) {
      throw new Error(`Seeding the demo station failed: ${failed.map((o) => `${o.provider} ${o.status} ${o.message ?? ''}`).join('; ')}`);
    }
  } finally {
    await providers.close();
  }
  return serveTestCore(core, options.staticDir);
}
