/*
 * A sync spends most of a page's time storing it (search index, outbox, slices with the event loop
 * let run between them) while the provider's connection sits idle. Reading one item ahead keeps
 * the request for page k+1 in flight while page k is stored. One ahead, never more: memory stays
 * at two pages, and each request still takes its token from the provider's request allowance as
 * it goes out (providers/http.ts).
 */

/**
 * The items of `open(signal)`, with the next one already asked for while the caller works on the
 * current one. The next item's failure is thrown where the caller asks for it, as without
 * read-ahead. When the caller stops early (break, throw, cancel) the request ahead is aborted
 * through `signal` given to `open`, awaited, and the source closed: nothing is left running.
 */
export async function* readAhead<T>(open: (signal: AbortSignal) => AsyncIterable<T>, signal?: AbortSignal): AsyncGenerator<T> {
  const abandon = new AbortController();
  const iterator = open(signal ? AbortSignal.any([signal, abandon.signal]) : abandon.signal)[Symbol.asyncIterator]();
  let ahead = iterator.next();
  let exhausted = false;
  try {
    for (;;) {
      const item = await ahead;
      if (item.done) {
        exhausted = true;
        return;
      }
      ahead = iterator.next();
      // Not lost: the rejection is awaited (and thrown) when the caller asks for this item.
      ahead.catch(() => undefined);
      yield item.value;
    }
  } finally {
    if (!exhausted) {
      abandon.abort();
      // A page asked for but no longer wanted: its failure (often the abort itself) is of no use.
      await ahead.catch(() => undefined);
      await iterator.return?.();
    }
  }
}
