/**
 * Runs `work` while counting, turn by turn of the event loop, how often `spy` was called; turns
 * without a call are left out. A page mapped in one synchronous step shows up as one turn.
 */
export async function callsPerTurn<T>(spy: { mock: { calls: unknown[] } }, work: () => Promise<T>): Promise<{ result: T; perTurn: number[] }> {
  const perTurn: number[] = [];
  let done = false;
  let seen = spy.mock.calls.length;
  const watch = () => {
    if (done) return;
    perTurn.push(spy.mock.calls.length - seen);
    seen = spy.mock.calls.length;
    setImmediate(watch);
  };
  watch();
  try {
    const result = await work();
    perTurn.push(spy.mock.calls.length - seen);
    return { result, perTurn: perTurn.filter((n) => n > 0) };
  } finally {
    done = true;
  }
}

/** The calls per turn of `total` one-call records read in steps of `step`: [step, step, …, rest]. */
export function inSteps(total: number, step: number): number[] {
  return Array.from({ length: Math.ceil(total / step) }, (_, i) => Math.min(step, total - i * step));
}
