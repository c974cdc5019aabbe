import type { HandlerMap } from './contract.ts';
import { accountHandlers } from '../accounts/handlers.ts';
import { syncHandlers } from '../sync/handlers.ts';
import { lookupHandlers } from '../lookup/handlers.ts';
import { statusHandlers } from '../status/handlers.ts';
import { resultsHandlers } from '../results/handlers.ts';

/** Every capability of RaceDesk, by name. Each domain exports its own map; this joins them. */
export const handlers = {
  ...accountHandlers,
  ...syncHandlers,
  ...lookupHandlers,
  ...statusHandlers,
  ...resultsHandlers,
} satisfies HandlerMap;

export type Handlers = typeof handlers;
export type HandlerName = keyof Handlers;
