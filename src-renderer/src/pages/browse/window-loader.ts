import { PageCache } from './page-cache.ts';

/*
 * Decides which windows of a 100,000-row table to ask the core for, and when: the rows in view
 * first, a little ahead of them when nothing in view is missing, never more than a couple at once,
 * and nothing while a scrollbar drag races past. The table draws from `row()` and redraws when
 * `subscribe` listeners hear that a window arrived.
 */
export type WindowAnswer<Row> = { ok: true; rows: Row[]; total: number } | { ok: false; error: Error };

export interface WindowLoaderOptions<Row> {
  /** Asks the core for one window of the table sorted and filtered as `params` (JSON) says. */
  fetchWindow(params: string, offset: number, limit: number): Promise<WindowAnswer<Row>>;
  onTotal(total: number | null): void;
  onError(error: Error | null): void;
  pageSize?: number;
  /*
   * Windows on their way at once. Asking for every window a fast scroll passes queued requests
   * whose answers arrived, were parsed and drawn after their rows had left the screen; with two
   * in flight, each answer frees a slot for the window in view now.
   */
  maxInFlight?: number;
  /** Rows beyond the view fetched while nothing in view is missing, so a slow scroll rarely shows a placeholder. */
  lookahead?: number;
  /** Windows kept in memory; farther ones are fetched again if scrolled back to. */
  keptPages?: number;
  /*
   * A view that jumps past the whole previous one (a scrollbar drag moves hundreds of rows a
   * frame) waits this long for the table to hold still before asking for its rows: answers for
   * a view the drag has already left cost parsing and drawing, on a laptop that also runs the
   * station, and showed nothing anyone could read.
   */
  jumpSettleMs?: number;
}

interface Lane {
  params: string;
  inFlight: number;
}

export class WindowLoader<Row> {
  private readonly cache: PageCache<Row>;
  private readonly options: Required<WindowLoaderOptions<Row>>;
  /** The requests of the sort and filter on screen; null until the first is set. */
  private lane: Lane | null = null;
  private view = { start: 0, end: 0 };
  private settleTimer: ReturnType<typeof setTimeout> | undefined;
  private arrivals = 0;
  private readonly listeners = new Set<() => void>();

  constructor(options: WindowLoaderOptions<Row>) {
    this.options = { pageSize: 200, maxInFlight: 2, lookahead: 100, keptPages: 50, jumpSettleMs: 60, ...options };
    this.cache = new PageCache<Row>(this.options.pageSize);
  }

  /** A new sort or filter: the old rows and any answers still on their way mean nothing now. */
  setParams(params: string): void {
    clearTimeout(this.settleTimer);
    this.lane = { params, inFlight: 0 };
    this.view = { start: 0, end: 0 };
    this.cache.clear();
    this.options.onTotal(null);
    this.pump();
  }

  /** The data changed: rows on screen stay until fresh ones replace them; each window brings the new total. */
  reload = (): void => {
    this.cache.invalidate();
    this.pump();
  };

  /** The table's visible range (plus overscan), whenever it changes. */
  ensure = (start: number, end: number): void => {
    const previous = this.view;
    this.view = { start, end };
    clearTimeout(this.settleTimer);
    if (start > previous.end || end < previous.start) this.settleTimer = setTimeout(this.pump, this.options.jumpSettleMs);
    else this.pump();
  };

  row = (index: number): Row | undefined => this.cache.row(index);

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  };

  /** Changes whenever a window arrives (useSyncExternalStore's snapshot). */
  version = (): number => this.arrivals;

  dispose(): void {
    clearTimeout(this.settleTimer);
  }

  private readonly pump = (): void => {
    const lane = this.lane;
    if (!lane) return;
    const { start, end } = this.view;
    const { maxInFlight, lookahead } = this.options;
    const claims = this.cache.claim(start, end, maxInFlight - lane.inFlight);
    if (claims.length === 0) claims.push(...this.cache.claim(start - lookahead, end + lookahead, maxInFlight - lane.inFlight));
    for (const claim of claims) {
      lane.inFlight++;
      void this.options.fetchWindow(lane.params, claim.offset, claim.limit).then((answer) => {
        lane.inFlight--;
        if (lane !== this.lane) return;
        if (!answer.ok) {
          // No retry here: a failing core would be asked again and again. The next scroll or reload tries again.
          this.cache.release(claim.page);
          this.options.onError(answer.error);
          return;
        }
        this.options.onError(null);
        if (this.cache.fill(claim.page, claim.generation, answer.rows)) {
          this.cache.keepNear(this.view.start, this.view.end, this.options.keptPages);
          this.options.onTotal(answer.total);
          this.arrivals++;
          for (const listener of this.listeners) listener();
        }
        this.pump();
      });
    }
  };
}
