/*
 * The rows of a 100,000-row table arrive in windows (browse.* handlers: offset + limit). The
 * table asks for the rows it is about to draw; this cache says which windows to fetch, keeps
 * the ones it has, and after a change in the data keeps showing the old rows until fresh ones
 * replace them (no flashing blank rows while a check-in elsewhere refreshes the table).
 */
export function pagesCovering(start: number, end: number, pageSize: number): number[] {
  if (end < start || end < 0) return [];
  const first = Math.floor(Math.max(start, 0) / pageSize);
  const last = Math.floor(end / pageSize);
  const pages: number[] = [];
  for (let page = first; page <= last; page++) pages.push(page);
  return pages;
}

interface Entry<Row> {
  rows: Row[] | null;
  generation: number;
  loading: boolean;
}

export class PageCache<Row> {
  private readonly entries = new Map<number, Entry<Row>>();
  private generation = 0;

  constructor(readonly pageSize: number) {}

  /** The data changed: every page is stale but stays visible until refetched. */
  invalidate(): void {
    this.generation++;
  }

  /** Sort or filter changed: the old rows mean nothing any more. */
  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  row(index: number): Row | undefined {
    const entry = this.entries.get(Math.floor(index / this.pageSize));
    return entry?.rows?.[index % this.pageSize];
  }

  /**
   * Pages of the range that are missing or stale and not already being fetched, at most `limit`
   * of them, nearest the start first; marks them loading.
   */
  claim(start: number, end: number, limit = Infinity): Array<{ page: number; generation: number; offset: number; limit: number }> {
    const wanted = [];
    for (const page of pagesCovering(start, end, this.pageSize)) {
      if (wanted.length >= limit) break;
      const entry = this.entries.get(page);
      if (entry && (entry.loading || (entry.rows && entry.generation === this.generation))) continue;
      this.entries.set(page, { rows: entry?.rows ?? null, generation: entry?.generation ?? -1, loading: true });
      wanted.push({ page, generation: this.generation, offset: page * this.pageSize, limit: this.pageSize });
    }
    return wanted;
  }

  /** Stores a fetched page; answers from before a clear() are dropped. Returns whether it was kept. */
  fill(page: number, generation: number, rows: Row[]): boolean {
    const entry = this.entries.get(page);
    if (!entry) return false;
    if (generation < entry.generation) return false;
    this.entries.set(page, { rows, generation, loading: false });
    return true;
  }

  /**
   * Forgets fetched pages beyond `maxPages`, farthest from the range first, so a long session of
   * scrolling a 100,000-row table does not keep every row in memory. Pages on their way stay.
   */
  keepNear(start: number, end: number, maxPages: number): void {
    const held = [...this.entries].filter(([, entry]) => !entry.loading).map(([page]) => page);
    if (held.length <= maxPages) return;
    const first = Math.floor(Math.max(start, 0) / this.pageSize);
    const last = Math.floor(Math.max(end, 0) / this.pageSize);
    const distance = (page: number) => (page < first ? first - page : page > last ? page - last : 0);
    held.sort((a, b) => distance(b) - distance(a));
    for (const page of held.slice(0, held.length - maxPages)) this.entries.delete(page);
  }

  /** A fetch failed: let a later claim try again. */
  release(page: number): void {
    const entry = this.entries.get(page);
    if (entry) entry.loading = false;
  }
}
