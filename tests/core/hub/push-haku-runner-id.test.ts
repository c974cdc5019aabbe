import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { upsertRows } from '../../../src-main/core/store/upsert.ts';
import { writeCrewResult } from '../../../src-main/core/results/crew-results-store.ts';
import { loginUrl, query } from './hub-test-kit.ts';

let server: TestPostgres;
beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => {
  await server?.stop();
});
let core: TestCore | undefined;
afterEach(() => core?.cleanup());

/*
 * On the laptop a Haku runner's id carries its event (store migration 0083), because Haku repeats
 * registration numbers across events; the hub keys venue changes by event_id beside Haku's own
 * number, so a check-in pushed from the laptop must join the hub's Haku participant.
 */
describe('push of a Haku runner’s venue change', () => {
  async function twoEventsWithRepeatedNumber() {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    core = createTestCore();
    await call(core, 'partner.set', { id: partner.timing_partner_id, name: 'Acme Timing' });
    core.db.transaction(() => {
      upsertRows(core!.db, 'haku_events', ['event_id'], [
        { event_id: 'aaaaaaaaaaaaaaaaaaaa', event_name: 'Riverfront 10K' },
        { event_id: 'bbbbbbbbbbbbbbbbbbbb', event_name: 'Lakefront Half' },
      ]);
      upsertRows(core!.db, 'haku_participants', ['event_id', 'participant_id'], [
        { event_id: 'aaaaaaaaaaaaaaaaaaaa', participant_id: 'R-1001', first_name: 'Dana', last_name: 'Whitfield', bib_number: '1187' },
        { event_id: 'bbbbbbbbbbbbbbbbbbbb', participant_id: 'R-1001', first_name: 'Luis', last_name: 'Ortega', bib_number: '1188' },
      ]);
    })();
    const push = () =>
      pushPendingChanges(core!.db, {
        connection: { url: loginUrl(adminUrl, partner.role, ''), password: partner.password },
        partnerId: partner.timing_partner_id,
      });
    return { adminUrl, partner, push };
  }

  it('reaches the hub with Haku’s registration number and joins that event’s runner, not the other event’s', async () => {
    const { adminUrl, push } = await twoEventsWithRepeatedNumber();
    const [luis] = (await call(core!, 'lookup.search', { query: '1188' })).rows;
    await call(core!, 'pickup.checkIn', { provider: 'haku' as const, participantId: luis.participant_id });

    await push();

    expect(
      await query(
        adminUrl,
        `SELECT p.first_name, c.participant_id, c.checked_in FROM participant_check_ins c
         JOIN unified_participants p ON p.source_provider = c.source_provider AND p.event_id = c.event_id
           AND p.participant_id = c.participant_id AND p.timing_partner_id = c.timing_partner_id`,
      ),
    ).toEqual([{ first_name: 'Luis', participant_id: 'R-1001', checked_in: true }]);
  });

  it('gives a crew result Haku’s registration number on the hub, and a delete finds it there', async () => {
    const { adminUrl, partner, push } = await twoEventsWithRepeatedNumber();
    const [luis] = (await call(core!, 'lookup.search', { query: '1188' })).rows;
    expect(luis.participant_id).toBe('bbbbbbbbbbbbbbbbbbbb:R-1001');
    const event = { sourceProvider: 'haku', eventId: 'bbbbbbbbbbbbbbbbbbbb', eventName: 'Lakefront Half', eventDate: null };
    core!.db.transaction(() =>
      writeCrewResult(
        core!.db,
        event,
        {
          participantId: luis.participant_id, bibNumber: '1188', firstName: 'Luis', lastName: 'Ortega', gender: 'M', age: 40, ageGroup: null,
          chipTimeMs: 5_400_000, gunTimeMs: 5_410_000, splits: {}, status: 'FIN', overallPlace: 1, genderPlace: 1, ageGroupPlace: null, importId: null,
        },
        partner.timing_partner_id,
      ),
    )();
    await push();
    const crewRows = () => query(adminUrl, `SELECT event_id, participant_id, first_name FROM crew_results`);
    expect(await crewRows()).toEqual([{ event_id: 'bbbbbbbbbbbbbbbbbbbb', participant_id: 'R-1001', first_name: 'Luis' }]);

    // The outbox's delete trigger queues the removal with the laptop's runner id; the push translates it.
    core!.db.prepare(`DELETE FROM crew_results WHERE participant_id = ?`).run(luis.participant_id);
    await push();
    expect(await crewRows()).toEqual([]);
  });
});
