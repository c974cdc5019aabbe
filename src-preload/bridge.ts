import type { ApiResult } from '../src-main/core/api/contract.ts';

/** What the preload exposes to the renderer as `window.racedesk`: one typed invoke and one event feed. */
export interface RaceDeskBridge {
  invoke(name: string, input: unknown): Promise<ApiResult<unknown>>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

export const invokeChannel = 'racedesk:invoke';
export const eventChannel = 'racedesk:event';
