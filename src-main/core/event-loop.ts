/*
 * The core shares one event loop with every caller (in the core host: the windows, the venue
 * devices, the scheduler). Long synchronous work (a sync page, a push batch) is done in bounded
 * steps with the loop let run between them, so no caller waits behind a whole page or batch.
 */
export const letEventLoopRun = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
