import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner, type NewPartner } from '../../../src-main/core/hub/partners.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { pullChanges } from '../../../src-main/core/hub/pull.ts';
import { pendingChangeCount, pushedColumns } from '../../../src-main/core/hub/outbox.ts';
import { pulledTables } from '../../../src-main/core/hub/pushable-tables.ts';
import type { Db } from '../../../src-main/core/store/database.ts';
import { loginUrl } from './hub-test-kit.ts';
import { openLaptop, workRound, type Laptop } from './laptop-kit.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});

const laptops: Laptop[] = [];
afterEach(() => {
  for (const laptop of laptops.splice(0)) laptop.close();
});

function laptop(): Laptop {
  const opened = openLaptop();
  laptops.push(opened);
  return opened;
}

interface Hub {
  adminUrl: string;
  partner: NewPartner;
  url: string;
}

async function hub(name = 'Acme Timing', adminUrl?: string): Promise<Hub> {
  const url = adminUrl ?? (await server.createDatabase());
  if (!adminUrl) await migrateHub({ url });
  const partner = await addPartner({ url }, name);
  return { adminUrl: url, partner, url: loginUrl(url, partner.role, '') };
}

const options = (h: Hub) => ({ connection: { url: h.url, password: h.partner.password }, partnerId: h.partner.timing_partner_id });

/**
 * Every pulled table as the laptop holds it: the columns the hub stores, rows in key order. JSON
 * is compared parsed: the hub's jsonb keeps the same value, spelled with its own spacing and key order.
 */
function pulledContent(db: Db): Record<string, unknown[]> {
  const parsed = (value: unknown) => (typeof value === 'string' && /^[{[]/.test(value) ? JSON.parse(value) : value);
  return Object.fromEntries(
    pulledTables.map((table) => {
      const columns = pushedColumns(db, table);
      const rows = db.prepare(`SELECT ${columns.join(', ')} FROM ${table.table} ORDER BY ${table.key.join(', ')}`).all() as Array<Record<string, unknown>>;
      return [table.table, rows.map((row) => Object.fromEntries(Object.entries(row).map(([column, value]) => [column, parsed(value)])))];
    }),
  );
}

describe('pull', () => {
  it('brings a second laptop what the first pushed, and nothing goes back', async () => {
    const h = await hub();
    const one = laptop();
    const two = laptop();
    workRound(one.db, 1);
    workRound(one.db, 2);
    await pushPendingChanges(one.db, options(h));
    const summary = await pullChanges(two.db, { ...options(h), batchSize: 7 });
    expect(summary.rows).toBeGreaterThan(0);
    expect(pulledContent(two.db)).toEqual(pulledContent(one.db));
    expect(pendingChangeCount(two.db)).toBe(0);
    // The first laptop's own rows are not sent back to it.
    expect(await pullChanges(one.db, options(h))).toEqual({ batches: 0, rows: 0, keptLocal: 0 });
  });
});
