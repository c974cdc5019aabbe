import { useEffect, useRef, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { Box, Skeleton, Text } from '@mantine/core';

export interface Column<Row> {
  key: string;
  label: string;
  width: number;
  /** The browse handler's sort column; absent when the column cannot be sorted. */
  sort?: string;
  align?: 'left' | 'right' | 'center';
  render(row: Row): ReactNode;
}

export interface SortState {
  column: string;
  direction: 'asc' | 'desc';
}

const rowHeight = 36;

/** Columns keep their width on narrow screens (the table scrolls sideways) and share extra room in proportion. */
const cellFlex = (width: number) => ({ flex: `${width} 0 ${width}px`, minWidth: width });

/**
 * A table that draws only the rows in view (@tanstack/react-virtual), so 100,000 rows scroll
 * like 100. Rows not fetched yet show as skeletons until their window arrives.
 */
export function VirtualTable<Row>(props: {
  columns: Column<Row>[];
  total: number;
  row(index: number): Row | undefined;
  ensure(start: number, end: number): void;
  sort: SortState | null;
  onSort(sort: SortState | null): void;
  rowKey(row: Row, index: number): string;
  height: string;
  testId: string;
}) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: props.total,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 20,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { ensure } = props;
  useEffect(() => ensure(first, last), [ensure, first, last, props.total]);

  const width = props.columns.reduce((sum, column) => sum + column.width, 0);
  const cycleSort = (column: string) => {
    if (props.sort?.column !== column) props.onSort({ column, direction: 'asc' });
    else if (props.sort.direction === 'asc') props.onSort({ column, direction: 'desc' });
    else props.onSort(null);
  };

  return (
    <Box
      ref={scrollRef}
      style={{ height: props.height, overflow: 'auto', border: '1px solid var(--mantine-color-default-border)', borderRadius: 'var(--mantine-radius-md)' }}
      data-testid={props.testId}
      role="table"
      aria-rowcount={props.total}
    >
      <div style={{ minWidth: width }}>
        <div className="rd-vtable-head" role="row">
          {props.columns.map((column) => (
            <div key={column.key} className="rd-vtable-cell" style={{ ...cellFlex(column.width), padding: 0, textAlign: column.align ?? 'left' }} role="columnheader" aria-sort={props.sort && props.sort.column === column.sort ? (props.sort.direction === 'asc' ? 'ascending' : 'descending') : 'none'}>
              {column.sort ? (
                <button type="button" onClick={() => cycleSort(column.sort!)} title={`Sort by ${column.label.toLowerCase()}`}>
                  {column.label}
                  {props.sort?.column === column.sort ? (props.sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
                </button>
              ) : (
                <Text span fw={600} size="sm" p={8} display="block">
                  {column.label}
                </Text>
              )}
            </div>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = props.row(item.index);
            return (
              <div
                key={row ? props.rowKey(row, item.index) : `loading-${item.index}`}
                className="rd-vtable-row"
                role="row"
                data-index={item.index}
                data-odd={item.index % 2 === 1}
                style={{ position: 'absolute', top: 0, left: 0, width: '100%', height: rowHeight, transform: `translateY(${item.start}px)` }}
              >
                {props.columns.map((column) => (
                  <div key={column.key} className="rd-vtable-cell" style={{ ...cellFlex(column.width), textAlign: column.align ?? 'left' }} role="cell">
                    {row ? column.render(row) : <Skeleton height={10} radius="xl" />}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </Box>
  );
}
