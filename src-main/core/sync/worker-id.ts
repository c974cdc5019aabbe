import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';

/*
 * Who holds a job: "host:pid:tag". The host and pid let another process on the same computer
 * see at once that the holder is gone (crashed, killed, laptop lid closed on a dead app) instead
 * of waiting out its lease; the tag tells two schedulers of one process apart.
 */
export function newWorkerId(): string {
  return `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
}

/**
 * True only when the holder ran on this computer and its process no longer exists. A holder on
 * another computer (a shared folder), a name in another form, or a pid the system has since
 * given to another process all count as alive: their lease decides.
 */
export function workerIsGone(worker: string): boolean {
  const [host, pidText, tag, ...rest] = worker.split(':');
  if (rest.length > 0 || tag === undefined || host !== hostname() || !/^\d+$/.test(pidText)) return false;
  const pid = Number(pidText);
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
