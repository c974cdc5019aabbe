import type { SyncProgress } from '../core/api/events.ts';

/** A one-line progress bar on stderr, drawn only when stderr is a terminal. */
export class ProgressLine {
  private active = false;

  constructor(private readonly stream: NodeJS.WriteStream) {}

  update(p: SyncProgress): void {
    if (!this.stream.isTTY) return;
    const width = 24;
    const fraction = p.pageCount ? Math.min(1, p.page / p.pageCount) : null;
    const bar = fraction === null ? '' : `[${'#'.repeat(Math.round(fraction * width)).padEnd(width, '.')}] `;
    const where = p.eventName ? `${p.eventName} ${p.phase}` : p.phase;
    const pages = p.pageCount ? `page ${p.page}/${p.pageCount}` : p.page ? `page ${p.page}` : '';
    this.show(`${p.provider} ${bar}${where} ${pages} ${p.records} records`);
  }

  show(text: string): void {
    if (!this.stream.isTTY) return;
    this.stream.write(`\r\x1b[2K${text.slice(0, (this.stream.columns ?? 100) - 1)}`);
    this.active = true;
  }

  done(): void {
    if (this.active) this.stream.write('\r\x1b[2K');
    this.active = false;
  }
}
