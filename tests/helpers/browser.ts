import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/*
 * Debian's Chromium driven by playwright-core, launched exactly as TOOLCHAIN.md says: a persistent
 * context on a fresh profile directory (Playwright refuses --user-data-dir in args), headless.
 * Each call is an independent browser with its own storage, so two calls are two devices.
 */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The two sizes every volunteer-facing screen is tested at: a phone at the pickup table and the crew's laptop. */
export const phoneAndLaptop = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
] as const;

export interface TestBrowser {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught page errors seen so far (a clean page has none). */
  problems: string[];
  close(): Promise<void>;
}

export async function launchBrowser(
  options: {
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
    /** The name a device gives itself when joining a station (asked once); null: a device not named yet. */
    deviceName?: string | null;
  } = {},
): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'racedesk-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: chromiumArgs,
    viewport: options.viewport ?? { width: 1366, height: 860 },
    colorScheme: options.colorScheme ?? 'light',
    acceptDownloads: true,
  });
  const deviceName = options.deviceName === undefined ? 'Test device' : options.deviceName;
  if (deviceName !== null) {
    await context.addInitScript((name) => {
      if (!localStorage.getItem('racedesk.stationName')) localStorage.setItem('racedesk.stationName', name);
    }, deviceName);
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  return {
    context,
    page,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const screenshotDir = resolve(import.meta.dirname, '../../test-artifacts/screenshots');

/**
 * Saves a screenshot under test-artifacts/screenshots/<name>.png for people to look at, once
 * opening modals and other finite transitions have ended (endless ones, like a busy progress
 * bar's stripes, are left running).
 */
export async function screenshot(page: Page, name: string): Promise<string> {
  await page.waitForFunction(() =>
    document.getAnimations().every((animation) => animation.playState !== 'running' || animation.effect?.getTiming().iterations === Infinity),
  );
  const path = join(screenshotDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/**
 * Builds the renderer into a fresh folder with Vite (the same config electron-vite uses for it),
 * so a test serves the screens of this checkout without racing other builds of out/renderer.
 */
export async function buildRenderer(): Promise<{ dir: string; remove(): void }> {
  const { build } = await import('vite');
  const { rendererBuild } = await import('../../electron.vite.config.ts');
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-renderer-'));
  await build({
    configFile: false,
    root: resolve(import.meta.dirname, '../../src-renderer'),
    base: './',
    plugins: rendererBuild.plugins,
    logLevel: 'silent',
    build: { outDir: dir, emptyOutDir: true, minify: rendererBuild.minify },
  });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
