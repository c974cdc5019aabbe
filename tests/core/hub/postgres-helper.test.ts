import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

describe('the test PostgreSQL helper', () => {
  it('gives each test a fresh database of its own', async () => {
    const [a, b] = [await server.createDatabase(), await server.createDatabase()];
    expect(a).not.toBe(b);
    const client = new pg.Client({ connectionString: a });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; tables: string }>(
        `SELECT current_database() AS db, (SELECT count(*) FROM pg_tables WHERE schemaname = 'public') AS tables`,
      );
      expect(rows[0]).toEqual({ db: new URL(a).pathname.slice(1), tables: '0' });
    } finally {
      await client.end();
    }
  });
});
