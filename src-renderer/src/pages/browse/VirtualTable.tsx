import { memo, useEffect, useMemo, useRef, useSyncExternalStore, type CSSProperties, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Text } from '@mantine/core';
import type { RowSource } from './usePagedRows.ts';
import './virtual-table.css';

export interface Column<Row> {
  key: string;
  label: string;
  width: number;
  /** The browse handler's sort column; absent when the column cannot be sorted. */
  sort?: string;
  align?: 'left' | 'right' | 'center';
  /** Runs for every row drawn while scrolling: return text or plain elements, not Mantine components. */
  render(row: Row): ReactNode;
}

export interface SortState {
  column: string;
  direction: 'asc' | 'desc';
}

/** Fixed in virtual-table.css too: rows are never measured, so scrolling never waits for layout. */
const rowHeight = 36;
const estimateSize = () => rowHeight;
/** A few rows beyond each edge: enough for a wheel notch, few enough to draw in a frame. */
const overscan = 6;

/** Columns keep their width on narrow screens (the table scrolls sideways) and share extra room in proportion. */
const cellStyle = (column: Column<unknown>): CSSProperties => ({ flex: `${column.width} 0 ${column.width}px`, minWidth: column.width, textAlign: column.align ?? 'left' });

/**
 * A table that draws only the rows in view (@tanstack/react-virtual), so 100,000 rows scroll
 * like 100. Rows not fetched yet show as a placeholder bar until their window arrives.
 *
 * Every scroll frame draws a new set of rows (a scrollbar drag moves hundreds of rows a frame),
 * so a row is kept cheap: memoized on its data, plain elements with precomputed styles, fixed
 * height, CSS containment (virtual-table.css), and the header outside the scrolled rendering.
 */
export function VirtualTable<Row>(props: {
  columns: Column<Row>[];
  total: number;
  rows: RowSource<Row>;
  sort: SortState | null;
  onSort(sort: SortState | null): void;
  height: string;
  testId: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { rows } = props;
  useSyncExternalStore(rows.subscribe, rows.version);
  const virtualizer = useVirtualizer({
    count: props.total,
    getScrollElement: () => scrollRef.current,
    estimateSize,
    overscan,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = rows;
  useEffect(() => ensure(first, last), [ensure, first, last, props.total]);

  const { columns } = props;
  const width = columns.reduce((sum, column) => sum + column.width, 0);
  const cellStyles = useMemo(() => columns.map((column) => cellStyle(column as Column<unknown>)), [columns]);

  return (
    <div
      ref={scrollRef}
      className="rd-vtable"
      style={{ height: props.height }}
      data-testid={props.testId}
      role="table"
      aria-rowcount={props.total}
    >
      <div style={{ minWidth: width }}>
        <TableHead columns={columns as Column<unknown>[]} cellStyles={cellStyles} sort={props.sort} onSort={props.onSort} />
        <div className="rd-vtable-body" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows.row(item.index);
            return (
              <TableRow
                // Keyed by slot, not by runner: a row keeps its slot while in view, and the row
                // scrolling in takes the element of the one scrolling out instead of a new one.
                key={item.index % items.length}
                index={item.index}
                start={item.start}
                row={row}
                columns={columns as Column<unknown>[]}
                cellStyles={cellStyles}
              />
            );
          })}
        </div>
      </div>
    </div>
  );
}

const TableHead = memo(function TableHead(props: { columns: Column<unknown>[]; cellStyles: CSSProperties[]; sort: SortState | null; onSort(sort: SortState | null): void }) {
  const { sort, onSort } = props;
  const cycleSort = (column: string) => {
    if (sort?.column !== column) onSort({ column, direction: 'asc' });
    else if (sort.direction === 'asc') onSort({ column, direction: 'desc' });
    else onSort(null);
  };
  return (
    <div className="rd-vtable-head" role="row">
      {props.columns.map((column, i) => (
        <div
          key={column.key}
          className="rd-vtable-cell"
          style={{ ...props.cellStyles[i], padding: 0 }}
          role="columnheader"
          aria-sort={sort && sort.column === column.sort ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}
        >
          {column.sort ? (
            <button type="button" onClick={() => cycleSort(column.sort!)} title={`Sort by ${column.label.toLowerCase()}`}>
              {column.label}
              {sort?.column === column.sort ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
            </button>
          ) : (
            <Text span fw={600} size="sm" p={8} display="block">
              {column.label}
            </Text>
          )}
        </div>
      ))}
    </div>
  );
});

/** Re-renders only when its own data, position or columns change: a window arriving redraws just its rows. */
const TableRow = memo(function TableRow(props: { index: number; start: number; row: unknown; columns: Column<unknown>[]; cellStyles: CSSProperties[] }) {
  const { row } = props;
  return (
    <div
      className="rd-vtable-row"
      role="row"
      aria-busy={row === undefined ? true : undefined}
      data-index={props.index}
      data-odd={props.index % 2 === 1}
      style={{ transform: `translateY(${props.start}px)` }}
    >
      {row === undefined ? (
        <div className="rd-vtable-placeholder" />
      ) : (
        props.columns.map((column, i) => (
          <div key={column.key} className="rd-vtable-cell" style={props.cellStyles[i]} role="cell">
            {column.render(row)}
          </div>
        ))
      )}
    </div>
  );
});
