import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/client.ts';
import { useClient } from '../../api/hooks.ts';
import { PageCache } from './page-cache.ts';

export type BrowseHandler = 'browse.participants' | 'browse.events' | 'browse.results';

export interface PagedRows<Row> {
  total: number | null;
  row(index: number): Row | undefined;
  /** Called with the visible range (plus overscan) on every render of the table. */
  ensure(start: number, end: number): void;
  error: ApiError | null;
  reload(): void;
}

const pageSize = 200;

/** Windows of a browse.* table for the virtualizer; refetches on sort/filter change and when the core reports changes. */
export function usePagedRows<Row>(name: BrowseHandler, params: { sort?: unknown; filter?: unknown }, refreshAreas: readonly string[]): PagedRows<Row> {
  const client = useClient();
  const key = JSON.stringify(params);
  const cache = useMemo(() => new PageCache<Row>(pageSize), []);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [, setVersion] = useState(0);
  const keyRef = useRef(key);

  const fetchPages = useCallback(
    (start: number, end: number) => {
      for (const claim of cache.claim(start, end)) {
        const requestKey = keyRef.current;
        const input = { ...JSON.parse(requestKey), offset: claim.offset, limit: claim.limit };
        void client.result(name, input as never).then((answer) => {
          if (requestKey !== keyRef.current) return;
          if (!answer.ok) {
            cache.release(claim.page);
            setError(new ApiError(answer.error.code, answer.error.message));
            return;
          }
          const value = answer.value as { rows: Row[]; total: number };
          setError(null);
          if (cache.fill(claim.page, claim.generation, value.rows)) {
            setTotal(value.total);
            setVersion((v) => v + 1);
          }
        });
      }
    },
    [client, name, cache],
  );

  useEffect(() => {
    keyRef.current = key;
    cache.clear();
    setTotal(null);
    fetchPages(0, pageSize - 1);
  }, [key, cache, fetchPages]);

  const reload = useCallback(() => {
    cache.invalidate();
    // The first window also carries the new total; the table refetches the rest it shows.
    fetchPages(0, 0);
    setVersion((v) => v + 1);
  }, [cache, fetchPages]);

  const areas = refreshAreas.join('|');
  useEffect(() => {
    if (!areas) return;
    const wanted = areas.split('|');
    return client.on('data.changed', ({ area }) => {
      if (wanted.includes(area)) reload();
    });
  }, [client, areas, reload]);

  return { total, row: (index) => cache.row(index), ensure: fetchPages, error, reload };
}
