import { z } from 'zod';
import QRCode from 'qrcode';
import { defineHandler } from '../api/contract.ts';
import { loadOrCreateStationToken } from './token.ts';
import { runningStation } from './running.ts';

/**
 * How other devices join this station: the URL with the token (also as a QR code) and the short
 * code to type. When no station runs in this process (the desktop app), the address is the one
 * `racedesk station` will use from the settings.
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
};
