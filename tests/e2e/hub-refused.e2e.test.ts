import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { startTestStation, type TestStation } from '../helpers/station.ts';
import { startTestPostgres, type TestPostgres } from '../helpers/postgres.ts';
import { call } from '../helpers/core.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser } from '../helpers/browser.ts';
import { migrateHub } from '../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../src-main/core/hub/partners.ts';
import { upsertRows } from '../../src-main/core/store/upsert.ts';
import { loginUrl, query } from '../core/hub/hub-test-kit.ts';

/*
 * The Sync page after a push the hub refused one row of: "Push now" sends everything else, and the
 * Hub card lists the refused row with the hub's reason.
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let station: TestStation;
let server: TestPostgres;
let browser: TestBrowser;
let adminUrl: string;

beforeAll(async () => {
  mkdirSync(screenshotDir, { recursive: true });
  built = await buildRenderer();
  station = await startTestStation({ staticDir: built.dir });
  server = await startTestPostgres();
  adminUrl = await server.createDatabase();
  await migrateHub({ url: adminUrl });
  const partner = await addPartner({ url: adminUrl }, 'Test Timing');
  await call(station.core, 'hub.set', { url: loginUrl(adminUrl, partner.role, ''), password: partner.password });
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await station?.close();
  await server?.stop();
  built?.remove();
});

describe('sync page, hub card', () => {
  it('lists a row the hub refused, with its reason, after the rest was pushed', async () => {
    const { db } = station.core;
    const event = db.prepare(`SELECT event_id, race_id FROM runsignup_events LIMIT 1`).get() as { event_id: number; race_id: number };
    // The hub keeps the seed's VARCHAR(20) bib; the laptop's column has no length.
    upsertRows(db, 'runsignup_participants', ['registration_id'], [{ registration_id: 990001, event_id: event.event_id, race_id: event.race_id, bib_num: 'B'.repeat(30) }]);
    const local = (db.prepare(`SELECT count(*) AS n FROM runsignup_participants`).get() as { n: number }).n;

    const { page, problems } = browser;
    await page.goto(`${station.url}#/sync`);
    await page.getByTestId('push-button').click();
    const refused = page.getByTestId('hub-refused-row');
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/^runsignup_participants 990001: value too long for type character varying\(20\) \(/);
    expect(await page.getByTestId('hub-pending').textContent()).toMatch(/^0/);
    expect(await query(adminUrl, `SELECT count(*)::int AS n FROM runsignup_participants`)).toEqual([{ n: local - 1 }]);
    await screenshot(page, 'sync-hub-refused');
    expect(problems).toEqual([]);
  });
});
