import { joinHandlerMaps, type HandlerMap } from './contract.ts';
import { providerHandlers } from '../providers/handlers.ts';
import { accountHandlers } from '../accounts/handlers.ts';
import { syncHandlers } from '../sync/handlers.ts';
import { queueHandlers } from '../sync/queue-handlers.ts';
import { lookupHandlers } from '../lookup/handlers.ts';
import { statusHandlers } from '../status/handlers.ts';
import { hubHandlers } from '../hub/handlers.ts';
import { resultsHandlers } from '../results/handlers.ts';
import { pickupHandlers } from '../pickup/handlers.ts';
import { browseHandlers } from '../browse/handlers.ts';
import { stationHandlers } from '../station-access/handlers.ts';

/** Every capability of RaceDesk, by name. Each domain exports its own map; this joins them. */
export const handlers = joinHandlerMaps(
  providerHandlers,
  accountHandlers,
  syncHandlers,
  queueHandlers,
  lookupHandlers,
  statusHandlers,
  hubHandlers,
  resultsHandlers,
  pickupHandlers,
  browseHandlers,
  stationHandlers,
) satisfies HandlerMap;

export type Handlers = typeof handlers;
export type HandlerName = keyof Handlers;
