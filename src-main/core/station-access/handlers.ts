import { z } from 'zod';
import QRCode from 'qrcode';
import { defineHandler } from '../api/contract.ts';
import { RaceDeskError } from '../errors.ts';
import { updateSettings } from '../settings/settings.ts';
import type { Core } from '../core.ts';
import { loadOrCreateStationToken } from './token.ts';
import { runningStation } from './running.ts';
import { stationControl } from './control.ts';

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

/**
 * How other devices join this station: the URL with the token (also as a QR code) and the short
 * code to type. When no station runs in this process (the desktop app), the address is the one
 * the station will use from the settings.
 */
export const stationHandlers = {
  'station.info': defineHandler({
    input: z.object({}),
    output: z.object({ url: z.string(), token: z.string(), shortCode: z.string(), qrSvg: z.string(), running: z.boolean() }),
    run: async (_input, core) => {
      const station = runningStation(core);
      const token = station?.token ?? loadOrCreateStationToken(core.dataDir);
      const { host, port } = core.settings.read().station;
      const url = station?.url ?? `http://${host}:${port}/?token=${encodeURIComponent(token.token)}`;
      const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { url, token: token.token, shortCode: token.shortCode, qrSvg, running: station !== undefined };
    },
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
