import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useClient } from '../../api/hooks.ts';
import { PageCache } from './page-cache.ts';

export type BrowseHandler = 'browse.participants' | 'browse.events' | 'browse.results';

/** What the table reads: rows from the cache, and a signal when windows have arrived. */
export interface RowSource<Row> {
  row(index: number): Row | undefined;
  /** Called with the visible range (plus overscan) whenever it changes. */
  ensure(start: number, end: number): void;
  /** useSyncExternalStore's pair: only the table redraws when a window arrives, not the page around it. */
  subscribe(listener: () => void): () => void;
  version(): number;
}

export interface PagedRows<Row> {
  total: number | null;
  source: RowSource<Row>;
  error: ApiError | null;
  reload(): void;
}

const pageSize = 200;
/*
 * Windows on their way at once. A scrollbar drag crosses hundreds of windows in a few seconds:
 * asking for each one it passes queued hundreds of requests whose answers then arrived, were
 * parsed and redrawn long after the rows had left the screen. With two in flight, each answer
 * frees a slot for the window under the thumb now.
 */
const maxInFlight = 2;
/** Rows beyond the visible range fetched while nothing in view is missing, so a slow scroll rarely shows a placeholder. */
const lookahead = 100;
/** 10,000 rows kept in memory; farther windows are fetched again if scrolled back to. */
const keptPages = 50;

interface Lane {
  key: string;
  inFlight: number;
}

/** Windows of a browse.* table for the virtualizer; refetches on sort/filter change and when the core reports changes. */
export function usePagedRows<Row>(name: BrowseHandler, params: { sort?: unknown; filter?: unknown }, refreshAreas: readonly string[]): PagedRows<Row> {
  const client = useClient();
  const key = JSON.stringify(params);
  const cache = useMemo(() => new PageCache<Row>(pageSize), []);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const arrivals = useMemo(() => new Arrivals(), []);
  const view = useRef({ start: 0, end: 0 });
  /** The requests of the sort and filter on screen; null until the first one is set. */
  const lane = useRef<Lane | null>(null);

  const pump = useCallback(() => {
    const current = lane.current;
    if (!current) return;
    const { start, end } = view.current;
    const claims = cache.claim(start, end, maxInFlight - current.inFlight);
    if (claims.length === 0) claims.push(...cache.claim(start - lookahead, end + lookahead, maxInFlight - current.inFlight));
    for (const claim of claims) {
      current.inFlight++;
      const input = { ...JSON.parse(current.key), offset: claim.offset, limit: claim.limit };
      void client.result(name, input as never).then((answer) => {
        current.inFlight--;
        if (current !== lane.current) return;
        if (!answer.ok) {
          cache.release(claim.page);
          setError(new ApiError(answer.error.code, answer.error.message));
          return;
        }
        const value = answer.value as { rows: Row[]; total: number };
        setError(null);
        if (cache.fill(claim.page, claim.generation, value.rows)) {
          cache.keepNear(view.current.start, view.current.end, keptPages);
          setTotal(value.total);
          arrivals.announce();
        }
        pump();
      });
    }
  }, [client, name, cache, arrivals]);

  const ensure = useCallback(
    (start: number, end: number) => {
      view.current = { start, end };
      pump();
    },
    [pump],
  );

  useEffect(() => {
    lane.current = { key, inFlight: 0 };
    view.current = { start: 0, end: 0 };
    cache.clear();
    setTotal(null);
    pump();
  }, [key, cache, pump]);

  const reload = useCallback(() => {
    cache.invalidate();
    // Every window carries the total, so refetching the rows in view also refreshes the count.
    pump();
  }, [cache, pump]);

  const areas = refreshAreas.join('|');
  useEffect(() => {
    if (!areas) return;
    const wanted = areas.split('|');
    return client.on('data.changed', ({ area }) => {
      if (wanted.includes(area)) reload();
    });
  }, [client, areas, reload]);

  const source = useMemo<RowSource<Row>>(
    () => ({ row: (index) => cache.row(index), ensure, subscribe: arrivals.subscribe, version: arrivals.version }),
    [cache, ensure, arrivals],
  );
  return { total, source, error, reload };
}

/** Counts window arrivals and tells the table, which then reads the new rows from the cache. */
class Arrivals {
  private count = 0;
  private readonly listeners = new Set<() => void>();

  announce(): void {
    this.count++;
    for (const listener of this.listeners) listener();
  }

  readonly subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  readonly version = () => this.count;
}
