/*
 * The core shares one event loop with every caller (in the core host: the windows, the venue
 * devices, the scheduler). Long synchronous work (a sync page, a push batch) is done in bounded
 * steps with the loop let run between them, so no caller waits behind a whole page or batch.
 */
export function letEventLoopRun(): Promise<void> {
  return new Promise((resolve) => {
    waitingSteps.push(resolve);
    if (waitingSteps.length === 1) setImmediate(runNextStep);
  });
}

/*
 * One waiting step goes on per turn of the loop, whoever it belongs to. With each task resuming on
 * its own setImmediate, tasks that run side by side (a page stored while the next is mapped, a push
 * beside a sync) each ran a step in the same turn, and the turn was their sum: 130 ms of CPU in the
 * desktop benchmark where no step took 70.
 */
const waitingSteps: Array<() => void> = [];

function runNextStep(): void {
  const next = waitingSteps.shift()!;
  if (waitingSteps.length > 0) setImmediate(runNextStep);
  next();
}

/*
 * Provider records read (validated and mapped) between two turns of the event loop: reading a
 * whole RunSignUp page of 1,000 held the core host's loop for about 150 ms of CPU (the zone
 * conversion of every date and the schema checks), with every window and venue device waiting.
 */
export const recordsPerStep = 100;

/**
 * Visits the records of a page in order, `recordsPerStep` per turn of the event loop. A visit
 * returning false stops the walk (a list sorted newest first that reached older records). The
 * first step waits for its turn too: it would otherwise run in the turn that delivered the page,
 * beside whatever step that turn runs.
 */
export async function forEachInSteps<T>(records: readonly T[], visit: (record: T, index: number) => boolean | void): Promise<void> {
  for (const [index, record] of records.entries()) {
    if (index % recordsPerStep === 0) await letEventLoopRun();
    if (visit(record, index) === false) return;
  }
}

/** Maps the records of a page in steps as forEachInSteps does; a null (a skipped record) is left out. */
export async function mapInSteps<T, R>(records: readonly T[], map: (record: T, index: number) => R | null): Promise<R[]> {
  const mapped: R[] = [];
  await forEachInSteps(records, (record, index) => {
    const result = map(record, index);
    if (result !== null) mapped.push(result);
  });
  return mapped;
}
