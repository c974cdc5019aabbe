import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { call, createTestCore } from '../helpers/core.ts';
import { serveTestCore, type TestStation } from '../helpers/station.ts';
import { buildRenderer, launchBrowser, screenshot, screenshotDir, type TestBrowser, phoneAndLaptop } from '../helpers/browser.ts';
import { makeRunSignUpDataset } from '../../src-main/datasets/runsignup.ts';
import { demoRunSignUpCredential, startRunSignUpSimulator, type RunSignUpSimulator } from '../../src-main/simulators/runsignup.ts';
import { createPairingCode } from '../../src-main/core/station-access/devices.ts';

/*
 * RunSignUp transferred one registration to another person and cleared another; the next sync saw
 * it. A volunteer who types the old registrant's name, bib or e-mail at the table reads where the registration
 * went, on an admin device and on a venue device (which may call lookup.removed), at phone and
 * laptop size, instead of only "no runner matches".
 */
let built: Awaited<ReturnType<typeof buildRenderer>>;
let sim: RunSignUpSimulator;
let station: TestStation;
const browsers: TestBrowser[] = [];
const account = 'Test RunSignUp';

let transferred: { name: string; bib: string; note: string; newName: string };
let cleared: { name: string; email: string };

beforeAll(async () => {
  mkdirSync(join(screenshotDir, 'pickup-removed'), { recursive: true });
  built = await buildRenderer();
  sim = await startRunSignUpSimulator({ dataset: makeRunSignUpDataset({ seed: 7 }) });
  const core = createTestCore();
  await call(core, 'partner.set', { id: 1, name: 'Test Timing' });
  await call(core, 'accounts.add', { provider: 'runsignup', label: account, baseUrl: sim.url, secret: { ...demoRunSignUpCredential } });
  expect((await call(core, 'sync.run', { provider: 'runsignup', account })).status).toBe('success');

  // Two registrants with a bib and an e-mail whose last names nobody else in the races has, so the search finds no runner.
  const unique = sim.dataset.participants.filter(
    (p) => p.bib_num && p.user.email && sim.dataset.participants.filter((other) => other.user.last_name === p.user.last_name).length === 1 && /^[A-Za-z]+$/.test(String(p.user.last_name ?? '')),
  );
  const [old, refunded] = unique;
  const { registration } = sim.transferParticipant(old.registration_id, { first_name: 'Renée', last_name: 'Abernathy-Quist' });
  sim.removeParticipant(refunded.registration_id, 'cleared');
  expect((await call(core, 'sync.run', { provider: 'runsignup', account })).status).toBe('success');

  transferred = {
    name: `${old.user.first_name} ${old.user.last_name}`,
    bib: String(old.bib_num),
    newName: 'Renée Abernathy-Quist',
    note: `transferred to registration ${registration.registration_id} (Renée Abernathy-Quist, bib ${old.bib_num})`,
  };
  cleared = { name: `${refunded.user.first_name} ${refunded.user.last_name}`, email: String(refunded.user.email) };
  station = await serveTestCore(core, built.dir);
}, 300_000);

afterAll(async () => {
  for (const browser of browsers) await browser.close();
  await station?.close();
  await sim?.close();
  built?.remove();
});

const sizes = phoneAndLaptop;
const roles = ['admin', 'venue'] as const;

async function open(size: (typeof sizes)[number], role: (typeof roles)[number]): Promise<Page> {
  const browser = await launchBrowser({ viewport: { width: size.width, height: size.height }, deviceName: `Table ${role}` });
  browsers.push(browser);
  await browser.page.goto(role === 'admin' ? station.url : `${station.origin}/?pair=${createPairingCode(station.core.db, 'venue').code}`);
  await browser.page.getByTestId('pickup-search').waitFor();
  return browser.page;
}

async function search(page: Page, query: string): Promise<void> {
  const box = page.getByTestId('pickup-search');
  await box.fill('');
  await box.fill(query);
}

describe.each(sizes)('pickup of a removed registration at $name size ($width x $height)', (size) => {
  it.each(roles)('a %s device says where a transferred registration went, and that a cleared one was removed', async (role) => {
    const page = await open(size, role);

    await search(page, transferred.name);
    await expect.poll(() => page.getByTestId('removed-note').allTextContents(), { timeout: 10_000 }).toEqual([`${transferred.name} — ${transferred.note}`]);
    // Nobody at pickup holds the old registration: the walk-up offer stays beside the note.
    await expect.poll(() => page.getByTestId('result-name').count()).toBe(0);
    await expect.poll(() => page.getByTestId('empty-state').filter({ hasText: `No runner matches “${transferred.name}”` }).count()).toBe(1);
    await screenshot(page, join('pickup-removed', `${size.name}-${role}-transferred`));

    // The person it went to is an ordinary runner, found by their own name.
    await search(page, transferred.newName);
    await expect.poll(() => page.getByTestId('result-name').allTextContents(), { timeout: 10_000 }).toEqual([transferred.newName]);
    await expect.poll(() => page.getByTestId('removed-note').count()).toBe(0);
    // The bib went along with the transfer: its new holder is listed, and the note says whose it was.
    await search(page, transferred.bib);
    await expect.poll(() => page.getByTestId('removed-note').allTextContents(), { timeout: 10_000 }).toEqual([`${transferred.name} — ${transferred.note}`]);
    await expect.poll(() => page.getByTestId('result-name').allTextContents()).toContain(transferred.newName);

    await search(page, cleared.name);
    await expect.poll(() => page.getByTestId('removed-note').allTextContents(), { timeout: 10_000 }).toEqual([`${cleared.name} — removed: cleared`]);
    await screenshot(page, join('pickup-removed', `${size.name}-${role}-cleared`));
    // The e-mail the registrant gives finds it too.
    await search(page, cleared.email);
    await expect.poll(() => page.getByTestId('removed-note').allTextContents(), { timeout: 10_000 }).toEqual([`${cleared.name} — removed: cleared`]);
  });
});
