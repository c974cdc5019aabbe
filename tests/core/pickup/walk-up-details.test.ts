import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres.ts';
import { call, createTestCore, type TestCore } from '../../helpers/core.ts';
import { dispatch } from '../../../src-main/core/api/dispatch.ts';
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../../src-main/core/hub/partners.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';
import { updateSettings } from '../../../src-main/core/settings/settings.ts';
import { query } from '../hub/hub-test-kit.ts';
import { seedVenue } from './seed.ts';

/*
 * A registration table's walk-up: shirt size, emergency contact, amount paid and method, waiver.
 * Stored on the walk-up's local row, queued for the hub in the same transaction, and on a real
 * PostgreSQL hub after a push.
 */
let server: TestPostgres;
let core: TestCore;

beforeAll(async () => {
  server = await startTestPostgres();
});
afterAll(async () => server?.stop());
afterEach(() => core?.cleanup());

const walkUp = {
  provider: 'runsignup' as const,
  eventId: '101',
  firstName: 'Ximena',
  lastName: 'Quiñónez',
  gender: 'F' as const,
  dateOfBirth: '1994-07-21',
  bib: 'W5',
  shirtSize: "Women's M",
  emergencyContactName: 'Rafael Quiñónez',
  emergencyContactPhone: '614-555-0101',
  amountPaid: 45.5,
  paymentMethod: 'card' as const,
  waiverAccepted: true,
  stationName: 'Registration',
};

describe('walk-up registration details', () => {
  it('stores them on the walk-up, queues them with it, and they reach the hub', async () => {
    const adminUrl = await server.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Acme Timing');
    const partnerUrl = new URL(adminUrl);
    partnerUrl.username = partner.role;
    const connection = { url: partnerUrl.toString(), password: partner.password };

    core = createTestCore();
    updateSettings(core.settings, (s) => ({ ...s, partner: { id: partner.timing_partner_id, name: 'Acme Timing' } }));
    seedVenue(core.db);
    const { participant } = await call(core, 'pickup.registerWalkUp', walkUp);

    expect(core.db.prepare('SELECT shirt_size, emergency_contact_name, emergency_contact_phone, amount_paid, payment_method, waiver_accepted FROM local_participants').get()).toEqual({
      shirt_size: "Women's M",
      emergency_contact_name: 'Rafael Quiñónez',
      emergency_contact_phone: '614-555-0101',
      amount_paid: 45.5,
      payment_method: 'card',
      waiver_accepted: 1,
    });
    const queued = core.db.prepare(`SELECT table_name, row_key FROM hub_outbox WHERE table_name IN ('local_participants', 'participant_changes') ORDER BY seq`).all() as Array<{
      table_name: string;
      row_key: string;
    }>;
    const details = core.db.prepare(`SELECT change_id, new_value FROM participant_changes WHERE field = 'walk_up_details'`).get() as { change_id: string; new_value: string };
    expect(queued.map((q) => q.table_name)).toEqual(['local_participants', 'participant_changes', 'participant_changes', 'participant_changes']);
    expect(queued.map((q) => JSON.parse(q.row_key))).toContainEqual({ change_id: details.change_id });

    expect(await pushPendingChanges(core.db, { connection, partnerId: partner.timing_partner_id })).toMatchObject({ pending: 0 });
    const [hubWalkUp] = await query(adminUrl, `SELECT first_name, bib_number, station_name FROM local_participants WHERE participant_id = $1`, [participant.participant_id]);
    expect(hubWalkUp).toEqual({ first_name: 'Ximena', bib_number: 'W5', station_name: 'Registration' });
    const [hubDetails] = await query<{ kind: string; new_value: string }>(
      adminUrl,
      `SELECT kind, new_value FROM participant_changes WHERE participant_id = $1 AND field = 'walk_up_details'`,
      [participant.participant_id],
    );
    expect(hubDetails.kind).toBe('edit');
    expect(JSON.parse(hubDetails.new_value)).toEqual({
      shirt_size: "Women's M",
      emergency_contact_name: 'Rafael Quiñónez',
      emergency_contact_phone: '614-555-0101',
      amount_paid: 45.5,
      payment_method: 'card',
      waiver_accepted: 1,
    });
  });

  it('refuses a negative or fractional-cent amount and an unknown payment method, writing nothing', async () => {
    core = createTestCore();
    seedVenue(core.db);
    for (const bad of [{ amountPaid: -5 }, { amountPaid: 10.005 }, { paymentMethod: 'bitcoin' }]) {
      const result = await dispatch(core, 'pickup.registerWalkUp', { ...walkUp, ...bad });
      expect(result, JSON.stringify(bad)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    expect(core.db.prepare('SELECT count(*) AS n FROM local_participants').get()).toEqual({ n: 0 });
    expect(core.db.prepare(`SELECT count(*) AS n FROM participant_changes`).get()).toEqual({ n: 0 });
  });
});
