import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeStaticDir, startTestStation, type TestStation } from '../helpers/station.ts';

describe('startTestStation', () => {
  let station: TestStation;
  let staticDir: ReturnType<typeof makeStaticDir>;
  beforeAll(async () => {
    staticDir = makeStaticDir();
    station = await startTestStation({ seed: 7, staticDir: staticDir.dir });
  });
  afterAll(async () => {
    await station?.close();
    staticDir?.remove();
  });

  it('serves a station seeded through the RunSignUp simulator', async () => {
    expect(station.url).toMatch(new RegExp(`^${station.origin}/\\?pair=[A-Z2-9]{4}-[A-Z2-9]{4}$`));
    expect(station.url).not.toBe(station.url);
    const response = await fetch(`${station.origin}/api/call/browse.participants`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${station.token}` },
      body: JSON.stringify({ limit: 5 }),
    });
    const result = await response.json();
    expect(result.ok).toBe(true);
    expect(result.value.total).toBeGreaterThan(0);
    expect(result.value.rows[0].source_provider).toBe('runsignup');
  });
});
