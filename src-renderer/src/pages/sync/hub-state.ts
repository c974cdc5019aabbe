/*
 * The hub as a crew chief reads it: not set up, online, or offline since the last failed push.
 * hub.status reports the last push and the auto-push loop; a failure newer than the last good
 * push (or failing auto-push attempts) means the hub cannot be reached right now.
 */
export interface HubStatusView {
  url: string | null;
  lastPush: { at: string | null; lastError: string | null; lastErrorAt: string | null };
  autoPush: { consecutiveFailures: number; lastError: string | null; nextAttemptAt: string | null } | null;
}

export function hubState(status: HubStatusView): { label: string; color: string; problem: string | null } {
  if (!status.url) return { label: 'Not set up', color: 'gray', problem: null };
  const failingAutoPush = status.autoPush !== null && status.autoPush.consecutiveFailures > 0;
  const lastFailed = status.lastPush.lastErrorAt !== null && (status.lastPush.at === null || status.lastPush.lastErrorAt > status.lastPush.at);
  if (failingAutoPush || lastFailed) {
    return { label: 'Offline', color: 'red', problem: status.autoPush?.lastError ?? status.lastPush.lastError };
  }
  if (status.lastPush.at === null) return { label: 'Not pushed yet', color: 'yellow', problem: null };
  return { label: 'Online', color: 'teal', problem: null };
}
