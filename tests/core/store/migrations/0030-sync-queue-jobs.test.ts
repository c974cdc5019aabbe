import { describe, it, expect } from 'vitest';
import { openDatabase, migrate } from '../../../../src-main/core/store/database.ts';
import { migrations } from '../../../../src-main/core/store/migrations/index.ts';
import { claimNextJob, getJob } from '../../../../src-main/core/sync/job-queue.ts';

describe('migration 0030 sync-queue-jobs', () => {
  it('upgrades a store with seed-style queue and history rows, which keep working as jobs', () => {
    const db = openDatabase(':memory:', { migrations: migrations.filter((m) => m.version < 30) });
    db.exec(`
      INSERT INTO sync_queue (provider_name, sync_type, priority, scheduled_for, payload)
        VALUES ('runsignup', 'participants', 3, '2026-06-13T07:00:00.000Z', '{"event_id":"902311"}');
      INSERT INTO sync_history (provider_name, sync_type, status, records_processed, account_label, event_id)
        VALUES ('runsignup', 'participants', 'success', 12, 'main', '902311');
    `);
    migrate(db, migrations.filter((m) => m.version <= 30));

    const job = getJob(db, 1);
    expect(job).toMatchObject({ eventId: '902311', priority: 3, status: 'pending', cancelRequested: false, recordsProcessed: 0, account: '' });
    expect(db.prepare('SELECT job_id FROM sync_history').get()).toEqual({ job_id: null });
    expect(claimNextJob(db, { worker: 'w', now: Date.parse('2026-06-13T08:00:00.000Z'), leaseMs: 1_000 })?.id).toBe(1);
    expect(() => db.prepare(`INSERT INTO sync_watches (provider_name, account_label, event_id, interval_minutes) VALUES ('runsignup', 'main', '1', 0)`).run()).toThrow();
    expect(() => db.prepare(`UPDATE sync_queue SET progress = 'not json'`).run()).toThrow();
    db.close();
  });
});
