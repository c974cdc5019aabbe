import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { copiedBatches, type CopiedRow } from '../../../src-main/core/hub/copy-rows.ts';

let server: TestPostgres;
let client: pg.Client;
beforeAll(async () => {
  server = await startTestPostgres();
  client = new pg.Client({ connectionString: await server.createDatabase() });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
  await server?.stop();
});

async function copied(query: string, size: number): Promise<CopiedRow[][]> {
  const batches: CopiedRow[][] = [];
  for await (const batch of copiedBatches(client, query, size)) batches.push(batch);
  return batches;
}

describe('copiedBatches', () => {
  it('gives every value back as PostgreSQL holds it: escapes, NULL, the text \\N, empty text, any script', async () => {
    const values = ['tab\there', 'two\nlines', 'cr\rlf', 'back\\slash', '\\N', '', 'Peña Ōtsuka 😀', '\b\f\v', 'ends with \\'];
    await client.query(`CREATE TABLE samples (n int, v text)`);
    for (const [n, v] of values.entries()) await client.query(`INSERT INTO samples VALUES ($1, $2)`, [n, v]);
    const batches = await copied(`SELECT v, NULL::text, length(v) FROM samples ORDER BY n`, 100);
    expect(batches).toEqual([values.map((v) => [v, null, String([...v].length)])]);
  });

  it('gives the rows in batches of the size asked for, the last one shorter, and none for no rows', async () => {
    const batches = await copied(`SELECT n FROM generate_series(1, 5) AS n`, 2);
    expect(batches).toEqual([[['1'], ['2']], [['3'], ['4']], [['5']]]);
    expect(await copied(`SELECT n FROM generate_series(1, 0) AS n`, 2)).toEqual([]);
  });

  it('puts together rows that arrive split over many chunks, multi-byte characters included', async () => {
    const batches = await copied(`SELECT n, repeat('é😀', 100000 + n) FROM generate_series(1, 3) AS n`, 10);
    expect(batches.map((batch) => batch.map(([n, text]) => [n, text === 'é😀'.repeat(100000 + Number(n))]))).toEqual([
      [
        ['1', true],
        ['2', true],
        ['3', true],
      ],
    ]);
  });

  it('fails with the hub’s own message when the query fails', async () => {
    await expect(copied(`SELECT n / 0 FROM generate_series(1, 3) AS n`, 10)).rejects.toThrow(/division by zero/);
  });
});
