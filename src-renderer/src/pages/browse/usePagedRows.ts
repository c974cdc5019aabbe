import { useEffect, useMemo, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useClient } from '../../api/hooks.ts';
import { WindowLoader } from './window-loader.ts';

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

/** Windows of a browse.* table for the virtualizer; refetches on sort/filter change and when the core reports changes. */
export function usePagedRows<Row>(name: BrowseHandler, params: { sort?: unknown; filter?: unknown }, refreshAreas: readonly string[]): PagedRows<Row> {
  const client = useClient();
  const key = JSON.stringify(params);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const loader = useMemo(
    () =>
      new WindowLoader<Row>({
        async fetchWindow(params, offset, limit) {
          const answer = await client.result(name, { ...JSON.parse(params), offset, limit } as never);
          if (!answer.ok) return { ok: false, error: new ApiError(answer.error.code, answer.error.message) };
          const value = answer.value as { rows: Row[]; total: number };
          return { ok: true, rows: value.rows, total: value.total };
        },
        onTotal: setTotal,
        onError: (failure) => setError(failure as ApiError | null),
      }),
    [client, name],
  );
  useEffect(() => () => loader.dispose(), [loader]);
  useEffect(() => loader.setParams(key), [loader, key]);

  const areas = refreshAreas.join('|');
  useEffect(() => {
    if (!areas) return;
    const wanted = areas.split('|');
    return client.on('data.changed', ({ area }) => {
      if (wanted.includes(area)) loader.reload();
    });
  }, [client, areas, loader]);

  return { total, source: loader, error, reload: loader.reload };
}
