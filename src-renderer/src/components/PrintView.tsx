import { useEffect } from 'react';
import { createPortal } from 'react-dom';
import { Button, Text } from '@mantine/core';
import type { Input } from '../api/client.ts';
import { useQuery } from '../api/hooks.ts';
import { ErrorNote, Loading } from './states.tsx';
import { IconPrinter } from './icons.tsx';
import './print-view.css';

/*
 * A results sheet, award lists or pickup list (results.printable) as a page to print. It is
 * rendered beside the app (a child of <body>), so the print CSS can leave out the app shell
 * whole; while it is open the window's title is the document's, which the browser offers as the
 * file name when the crew saves it as a PDF.
 */
export function PrintView({ input, onClose }: { input: Input<'results.printable'>; onClose(): void }) {
  const printable = useQuery('results.printable', input, { refreshOn: ['results', 'participants'] });
  const data = printable.data;
  const totalWidth = data?.columns.reduce((sum, column) => sum + column.width, 0) ?? 1;

  useEffect(() => {
    if (!data) return;
    const before = document.title;
    document.title = data.fileName.replace(/\.pdf$/, '');
    return () => {
      document.title = before;
    };
  }, [data]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  return createPortal(
    <div className="rd-print" role="dialog" aria-modal="true" aria-label={data?.title ?? 'Print'} data-testid="print-view">
      <div className="rd-print-toolbar">
        <Button leftSection={<IconPrinter size={16} />} onClick={() => window.print()} disabled={!data} data-testid="print-now">
          Print or save as PDF
        </Button>
        <Button variant="default" onClick={onClose} data-testid="print-close">
          Close
        </Button>
        <Text size="sm" c="dimmed">
          Esc closes
        </Text>
      </div>
      {printable.error ? (
        <ErrorNote error={printable.error} onRetry={printable.reload} what="The sheet" />
      ) : !data ? (
        <Loading label="Preparing the sheet" />
      ) : (
        <article className="rd-print-sheet" data-testid="print-sheet">
          <h1>{data.title}</h1>
          <p className="rd-print-subtitle">{data.subtitle}</p>
          {data.groups.map((group, i) => (
            <section key={i} className="rd-print-group" data-new-page={group.newPage} data-testid="print-group">
              <table>
                <thead>
                  {group.title ? (
                    <tr className="rd-print-group-title">
                      <th colSpan={data.columns.length}>{group.title}</th>
                    </tr>
                  ) : null}
                  <tr>
                    {data.columns.map((column) => (
                      <th key={column.label} data-align={column.align} style={{ width: `${(column.width / totalWidth) * 100}%` }}>
                        {column.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {group.rows.map((row, j) => (
                    <tr key={j}>
                      {row.map((value, k) => (
                        <td key={k} data-align={data.columns[k].align}>
                          {value}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          ))}
          {data.notes.length > 0 ? (
            <ul className="rd-print-notes">
              {data.notes.map((note) => (
                <li key={note}>{note}</li>
              ))}
            </ul>
          ) : null}
          <p className="rd-print-footer">Printed {new Date(data.printedAt).toLocaleString()}</p>
        </article>
      )}
    </div>,
    document.body,
  );
}
