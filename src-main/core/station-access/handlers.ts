import { z } from 'zod';
import QRCode from 'qrcode';
import { defineHandler } from '../api/contract.ts';
import { RaceDeskError } from '../errors.ts';
import { updateSettings } from '../settings/settings.ts';
import type { Core } from '../core.ts';
import { runningStation } from './running.ts';
import { stationControl } from './control.ts';
import { stationAddress } from './address.ts';
import { createPairingCode, currentVenueCode, listDevices, renameDevice, revokeDevice, setDeviceRole, type PairingCode } from './devices.ts';

const stationSettingsSchema = z.object({
  name: z.string(),
  host: z.string(),
  port: z.number(),
  enabled: z.boolean(),
  running: z.boolean(),
  /** Whether this process can start and stop the station (the desktop app can; `racedesk station` is one). */
  controllable: z.boolean(),
});

function stationSettings(core: Core): z.infer<typeof stationSettingsSchema> {
  const { station } = core.settings.read();
  return { ...station, running: runningStation(core) !== undefined, controllable: stationControl(core) !== undefined };
}

/** Where devices reach this station: the running one's address, else the one the settings will use. */
function currentAddress(core: Core) {
  const { host, port } = runningStation(core) ?? core.settings.read().station;
  return stationAddress(host, port);
}

const pairingSchema = z.object({
  /** The address that joins a device with this code (the QR code encodes it). */
  url: z.string(),
  shortCode: z.string(),
  role: z.enum(['venue', 'admin']),
  expiresAt: z.string(),
  /** Whether another device can reach this address at all, and if not why (`notice`). */
  reachable: z.boolean(),
  notice: z.string().nullable(),
  /** Plain HTTP beyond this laptop: anyone on the venue Wi-Fi can read the traffic. */
  readableOnNetwork: z.boolean(),
});

function pairing(core: Core, code: PairingCode): z.infer<typeof pairingSchema> {
  const address = currentAddress(core);
  return {
    url: `${address.origin}/?pair=${code.code}`,
    shortCode: code.code,
    role: code.role,
    expiresAt: code.expiresAt,
    reachable: address.reachable,
    notice: address.notice,
    readableOnNetwork: address.reachable,
  };
}

const deviceSchema = z.object({
  deviceId: z.string(),
  name: z.string(),
  role: z.enum(['venue', 'admin']),
  pairedAt: z.string(),
  lastSeenAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});

/**
 * How other devices join this station: the address with a one-time venue pairing code (also as
 * a QR code) and the code itself to type. A code that was used or is about to expire is replaced
 * by a fresh one. When no station runs in this process (the desktop app), the address is the one
 * the station will use from the settings.
 */
export const stationHandlers = {
  'station.info': defineHandler({
    input: z.object({}),
    output: pairingSchema.extend({ qrSvg: z.string(), running: z.boolean() }),
    run: async (_input, core) => {
      const info = pairing(core, currentVenueCode(core.db));
      const qrSvg = await QRCode.toString(info.url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { ...info, qrSvg, running: runningStation(core) !== undefined };
    },
  }),
  'station.pairingCode': defineHandler({
    input: z.object({ role: z.enum(['venue', 'admin']).default('venue') }),
    output: pairingSchema,
    run: ({ role }, core) => pairing(core, createPairingCode(core.db, role)),
  }),
  'station.whoami': defineHandler({
    input: z.object({}),
    output: z.object({ kind: z.enum(['laptop', 'device']), role: z.enum(['venue', 'admin']), name: z.string() }),
    run: (_input, core, caller) =>
      caller.kind === 'device'
        ? { kind: 'device' as const, role: caller.role, name: caller.deviceName }
        : { kind: 'laptop' as const, role: 'admin' as const, name: core.options.stationName ?? core.settings.read().station.name },
  }),
  'station.renameSelf': defineHandler({
    input: z.object({ name: z.string().trim().min(1).max(60) }),
    output: z.object({ name: z.string() }),
    run: ({ name }, core, caller) => {
      if (caller.kind !== 'device') {
        throw new RaceDeskError('invalid_input', "The station laptop signs with the station's own name: change it under Settings › Station (or racedesk station --name).");
      }
      return { name: renameDevice(core, caller.deviceId, name).name };
    },
  }),
  'station.devices': defineHandler({
    input: z.object({}),
    output: z.array(deviceSchema),
    run: (_input, core) => listDevices(core.db),
  }),
  'station.revokeDevice': defineHandler({
    input: z.object({ deviceId: z.string().min(1) }),
    output: deviceSchema,
    run: ({ deviceId }, core) => revokeDevice(core, deviceId),
  }),
  'station.setDeviceRole': defineHandler({
    input: z.object({ deviceId: z.string().min(1), role: z.enum(['venue', 'admin']) }),
    output: deviceSchema,
    run: ({ deviceId, role }, core) => setDeviceRole(core, deviceId, role),
  }),
  'station.settings': defineHandler({
    input: z.object({}),
    output: stationSettingsSchema,
    run: (_input, core) => stationSettings(core),
  }),
  'station.configure': defineHandler({
    input: z.object({
      name: z.string().trim().min(1).max(60).optional(),
      host: z
        .string()
        .trim()
        .regex(/^(?:\d{1,3}(?:\.\d{1,3}){3}|localhost|[\w.-]+)$/, 'an IP address or host name, e.g. 127.0.0.1 (this laptop only) or 0.0.0.0 (the venue network)')
        .optional(),
      port: z.number().int().min(1024).max(65535).optional(),
      enabled: z.boolean().optional(),
    }),
    output: stationSettingsSchema,
    run: async (input, core) => {
      const next = updateSettings(core.settings, (current) => ({ ...current, station: { ...current.station, ...input } })).station;
      const control = stationControl(core);
      if (control && (input.enabled !== undefined || input.host !== undefined || input.port !== undefined)) {
        await control.stop();
        if (next.enabled) {
          try {
            await control.start({ host: next.host, port: next.port });
          } catch (error) {
            updateSettings(core.settings, (current) => ({ ...current, station: { ...current.station, enabled: false } }));
            const reason = error instanceof Error ? error.message : String(error);
            throw new RaceDeskError('conflict', `The station could not listen on ${next.host}:${next.port} (${reason}). Pick another port.`);
          }
        }
      }
      return stationSettings(core);
    },
  }),
};
