import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, schemaVersion, type Db } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { hakuApiBaseUrl } from '../../../../src-main/core/store/migrations/0020-haku-api-base-url.ts';

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openAt(version: number, list = migrations.filter((m) => m.version <= version)): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'racedesk-mig20-'));
  dirs.push(dir);
  const path = join(dir, 'store.sqlite');
  const db = openDatabase(path, { migrations: list });
  dbs.push(db);
  return { db, path };
}

const baseUrl = (db: Db, provider: string) =>
  (db.prepare('SELECT api_base_url FROM providers WHERE provider_name = ?').get(provider) as { api_base_url: string }).api_base_url;

describe('migration 0020 (Haku API base URL)', () => {
  it('corrects the seeded Haku URL from the version before it, leaving rows and other providers alone', () => {
    const { db, path } = openAt(hakuApiBaseUrl.version - 1);
    db.prepare(`INSERT INTO haku_events (event_id, event_name) VALUES ('e735b096f63aaf72e58d', 'Riverfront 10K')`).run();
    db.close();
    dbs.pop();
    const migrated = openDatabase(path, { migrations: migrations.filter((m) => m.version <= hakuApiBaseUrl.version) });
    dbs.push(migrated);
    expect(schemaVersion(migrated)).toBe(20);
    expect(baseUrl(migrated, 'haku')).toBe('https://api.hakuapp.com');
    expect(baseUrl(migrated, 'raceroster')).toBe('https://raceroster.com/api/v1');
    expect(migrated.prepare('SELECT count(*) AS n FROM haku_events').get()).toEqual({ n: 1 });
  });

  it("keeps a URL a partner has edited", () => {
    const { db, path } = openAt(hakuApiBaseUrl.version - 1);
    db.prepare(`UPDATE providers SET api_base_url = 'https://haku.partner-proxy.example' WHERE provider_name = 'haku'`).run();
    db.close();
    dbs.pop();
    const migrated = openDatabase(path, { migrations: migrations.filter((m) => m.version <= hakuApiBaseUrl.version) });
    dbs.push(migrated);
    expect(baseUrl(migrated, 'haku')).toBe('https://haku.partner-proxy.example');
  });
});
