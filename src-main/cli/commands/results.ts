import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import type { Command } from 'commander';
import { summary } from '../command-list.ts';
import { type CliContext, formatTable } from '../context.ts';
import { RaceDeskError } from '../../core/errors.ts';
import { parseAgeBrackets } from '../../core/results/age-groups.ts';
import { ageBases, ageBasisLabels, type AgeBasis } from '../../core/results/age-basis.ts';
import { decodeTimingFile } from '../../core/results/timing-file.ts';
import { watchResultsFolder } from '../../core/results/watch-folder.ts';
import { startHubAutoPush, stopHubAutoPush } from '../../core/hub/auto-push.ts';
import { printDocuments, type PrintDocument } from '../../core/results/printable.ts';
import { paperSizes, printableToPdf, type Paper } from '../../core/results/printable-pdf.ts';

interface EventOptions {
  event: string;
  provider?: string;
}

export function registerResultsCommands(program: Command, context: CliContext): void {
  const results = program.command('results').description(summary('results'));

  results
    .command('import <file>')
    .description('import a FinishLynx .lif, CSV or tab-separated export: the clean rows, holding the others (see results held)')
    .requiredOption('--event <id>', "the provider's event id, as racedesk lookup shows it")
    .option('--provider <name>', 'the provider, when two share the event id')
    .option('--mapping <name>', 'a saved column mapping')
    .option('--save-mapping <name>', 'remember the mapping used under this name')
    .option('--strict', 'all rows or none: import nothing when any row has a problem')
    .option('--dry-run', 'only report what the import would do')
    .action(async (file: string, options: EventOptions & { mapping?: string; saveMapping?: string; strict?: boolean; dryRun?: boolean }) => {
      const input = {
        event: options.event,
        provider: options.provider,
        fileName: basename(file),
        content: readTimingFile(file),
        mappingName: options.mapping,
      };
      await context.withCore(async (core) => {
        const preview = await context.call(core, 'results.preview', input);
        const { counts } = preview;
        const summary =
          `${preview.fileName} (${preview.format}, mapping ${preview.mappingSource}): ${counts.rows} rows — ` +
          `${counts.new} new, ${counts.update} updated, ${counts.unchanged} unchanged, ${counts.noResult} without a result, ` +
          `${counts.repeats} repeated, ${counts.problemRows} with problems`;
        const problemLines = [
          ...preview.problems.map((p) => `  line ${p.line}${p.bib ? ` (bib ${p.bib})` : ''}: ${p.reason}`),
          ...(preview.unlistedProblems > 0 ? [`  and ${preview.unlistedProblems} more problems not listed`] : []),
        ];
        if (options.dryRun || (options.strict && preview.problems.length > 0)) {
          context.print(preview, () => [summary, ...problemLines].join('\n'));
          // A plain Error: bad rows are a failed import (exit 1), not a usage error (exit 2).
          if (!options.dryRun) throw new Error(`${counts.problemRows} rows have problems; nothing was imported (--strict).`);
          return;
        }
        const accepted = await context.call(core, 'results.accept', { ...input, saveMappingAs: options.saveMapping, strict: options.strict });
        context.print({ ...accepted, counts, problems: preview.problems }, () =>
          [
            summary,
            ...problemLines,
            `Imported: ${accepted.written} rows written, ${accepted.held} held${accepted.alreadyHeld > 0 ? ` (${accepted.alreadyHeld} held already)` : ''}, ${accepted.placesChanged} places changed.`,
            ...(accepted.held + accepted.alreadyHeld > 0 ? [`Held rows: racedesk results held --event ${options.event}`] : []),
          ].join('\n'),
        );
      });
    });

  results
    .command('watch <dir>')
    .description('import each .lif, CSV or .txt export that appears or changes in a folder, once complete, holding bad rows; Ctrl-C stops')
    .requiredOption('--event <id>', "the provider's event id, as racedesk lookup shows it")
    .option('--provider <name>', 'the provider, when two share the event id')
    .action(async (dir: string, options: EventOptions) => {
      await context.withCore(async (core) => {
        // The import checks the event on every file; checking it now stops a typo before race day starts.
        await context.call(core, 'results.settings.get', { event: options.event, provider: options.provider });
        startHubAutoPush(core);
        try {
          const watch = await watchResultsFolder(core, {
            dir,
            event: options.event,
            provider: options.provider,
            onImported: (imported) =>
              context.options.json
                ? process.stdout.write(`${JSON.stringify(imported)}\n`)
                : process.stdout.write(
                    `${new Date().toLocaleTimeString('en-GB')} ${imported.fileName}: ${imported.written} written, ${imported.held} held` +
                      `${imported.alreadyHeld > 0 ? ` (${imported.alreadyHeld} held already)` : ''}, ${imported.placesChanged} places changed\n`,
                  ),
            onFailed: (fileName, error) => context.log.error(`${fileName ?? dir}: ${error.message}`),
          });
          process.stderr.write(`Watching ${dir} for results of event ${options.event}. Ctrl-C stops.\n`);
          await untilStopped();
          await watch.close();
        } finally {
          stopHubAutoPush(core);
        }
      });
    });

  registerHeldCommands(results, context);

  results
    .command('show')
    .description('the placed results of an event (race by race where the event has several)')
    .requiredOption('--event <id>', "the provider's event id")
    .option('--provider <name>', 'the provider, when two share the event id')
    .option('--race <id>', 'only this race (distance) of a ChronoTrack or Race Roster event')
    .option('--by <order>', 'overall, gender or age', 'overall')
    .option('--search <text>', 'only runners with this bib or name')
    .action(async (options: EventOptions & { race?: string; by: string; search?: string }) => {
      if (!['overall', 'gender', 'age'].includes(options.by)) {
        throw new RaceDeskError('invalid_input', `--by must be overall, gender or age, got "${options.by}".`);
      }
      await context.withCore(async (core) => {
        const list = await context.call(core, 'results.list', {
          event: options.event,
          provider: options.provider,
          race: options.race,
          by: options.by as 'overall' | 'gender' | 'age',
          search: options.search,
        });
        const columns = ['overall_place', 'bib_number', 'first_name', 'last_name', 'gender', 'age_group', 'time', 'gender_place', 'age_group_place', 'status'];
        const heading = `${list.event.eventName ?? list.event.eventId} (${list.event.sourceProvider}), placed by ${list.placeBy} time`;
        context.print(list.rows, () => {
          if (list.races.length === 0) return [heading, formatTable(list.rows, columns)].join('\n');
          // Places count within a race, so each race gets its own table.
          const sections = [...new Set(list.rows.map((row) => row.race_id))].map((raceId) => {
            const rows = list.rows.filter((row) => row.race_id === raceId);
            const title = raceId === null ? 'Race not known (not placed)' : `${rows[0].race_name ?? raceId} (race ${raceId})`;
            return [title, formatTable(rows, columns)].join('\n');
          });
          const races = list.races.map((race) => `${race.race_id} ${race.race_name ?? ''}`.trim()).join(', ');
          return [heading, `Races: ${races}`, ...(sections.length > 0 ? sections : ['(none)'])].join('\n\n');
        });
      });
    });

  results
    .command('export <file>')
    .description('write the placed results of an event as CSV (with a Race column where the event has several)')
    .requiredOption('--event <id>', "the provider's event id")
    .option('--provider <name>', 'the provider, when two share the event id')
    .option('--race <id>', 'only this race (distance) of a ChronoTrack or Race Roster event')
    .action(async (file: string, options: EventOptions & { race?: string }) => {
      await context.withCore(async (core) => {
        const exported = await context.call(core, 'results.exportCsv', { event: options.event, provider: options.provider, race: options.race });
        writeFileSync(file, exported.csv);
        context.print({ file, rows: exported.rows }, () => `Wrote ${exported.rows} results to ${file}.`);
      });
    });

  results
    .command('print')
    .description('write a results sheet, award lists or a packet-pickup list as a PDF')
    .requiredOption('--event <id>', "the provider's event id")
    .option('--provider <name>', 'the provider, when two share the event id')
    .option('--document <kind>', 'results, awards or pickup', 'results')
    .option('--race <id>', 'only this race (distance) of a ChronoTrack or Race Roster event')
    .option('--from <bib>', 'pickup list: the first bib of the range')
    .option('--to <bib>', 'pickup list: the last bib of the range')
    .option('--top <n>', "awards: how many overall and per gender (default: the event's --exclude-overall, else 3)")
    .option('--age-group-top <n>', 'awards: how many per age group (default 3)')
    .option('--paper <size>', 'letter or a4', 'letter')
    .requiredOption('--out <file>', 'the PDF file to write')
    .action(async (options: EventOptions & { document: string; race?: string; from?: string; to?: string; top?: string; ageGroupTop?: string; paper: string; out: string }) => {
      if (!(printDocuments as readonly string[]).includes(options.document)) {
        throw new RaceDeskError('invalid_input', `--document must be results, awards or pickup, got "${options.document}".`);
      }
      if (!Object.hasOwn(paperSizes, options.paper)) throw new RaceDeskError('invalid_input', `--paper must be letter or a4, got "${options.paper}".`);
      const input = {
        event: options.event,
        provider: options.provider,
        document: options.document as PrintDocument,
        race: options.race,
        bibFrom: wholeNumberOption('--from', options.from, 0, Number.MAX_SAFE_INTEGER),
        bibTo: wholeNumberOption('--to', options.to, 0, Number.MAX_SAFE_INTEGER),
        top: wholeNumberOption('--top', options.top, 1, 100),
        ageGroupTop: wholeNumberOption('--age-group-top', options.ageGroupTop, 1, 100),
      };
      await context.withCore(async (core) => {
        const printable = await context.call(core, 'results.printable', input);
        const printed = printableToPdf(printable, options.paper as Paper);
        // Written beside the target and renamed: a sheet someone has open is never left half-written.
        const partial = `${options.out}.${process.pid}.partial`;
        try {
          writeFileSync(partial, printed.pdf);
          renameSync(partial, options.out);
        } catch (error) {
          rmSync(partial, { force: true });
          throw new RaceDeskError('invalid_input', `Cannot write ${options.out}: ${(error as Error).message}`);
        }
        const unshown = [...new Set(printed.replaced)];
        if (unshown.length > 0) {
          const count = printed.replaced.length === 1 ? '1 character prints' : `${printed.replaced.length} characters print`;
          context.log.warn(`${count} as "?" in the PDF (${unshown.join(' ')}): its standard fonts lack them; the browser print shows them.`);
        }
        const rows = printable.groups.reduce((sum, group) => sum + group.rows.length, 0);
        context.print({ file: options.out, pages: printed.pages, rows, replaced: printed.replaced.length }, () => `Wrote ${printable.title} (${rows} lines, ${printed.pages === 1 ? '1 page' : `${printed.pages} pages`}) to ${options.out}.`);
      });
    });

  results
    .command('publish')
    .description("upload the event's placed results (DNF, DNS, DQ too) to its RunSignUp result set; publishing again replaces that set's rows")
    .requiredOption('--event <id>', "the RunSignUp event id")
    .option('--provider <name>', 'the provider, when two share the event id')
    .action(async (options: EventOptions) => {
      await context.withCore(async (core) => {
        // One line per batch on stderr, so stdout stays the summary (or JSON).
        const unsubscribe = core.events.on('results.publishProgress', (p) => process.stderr.write(`RunSignUp: ${p.sent} of ${p.total} results sent\n`));
        try {
          const published = await context.call(core, 'results.publish', { event: options.event, provider: options.provider });
          context.print(published, () =>
            [
              `Published ${published.accepted} results of ${published.event.eventName ?? published.event.eventId} to RunSignUp result set ${published.resultSetId} (${published.replaced ? 'its earlier rows replaced' : 'a new result set'}).`,
              ...(published.notPlaced > 0 ? [`${published.notPlaced} finishers without a time were left out.`] : []),
              ...(published.rejected.length > 0 ? [`${published.rejected.length} not published:`, ...published.rejected.map((row) => `  ${row.message}`)] : []),
            ].join('\n'),
          );
        } finally {
          unsubscribe();
        }
      });
    });

  results
    .command('settings')
    .description('show or change how an event is placed and awarded')
    .requiredOption('--event <id>', "the provider's event id")
    .option('--provider <name>', 'the provider, when two share the event id')
    .option('--place-by <time>', 'chip or gun')
    .option('--age-groups <brackets>', 'e.g. "0-19,20-29,30-39,40+" or "0,15,20,25"')
    .option('--age-basis <day>', "race-day, year-end (31 December) or provider-date (RunSignUp's age calculation date)")
    .option('--exclude-overall <n>', 'the top N of each gender take no age-group place (0: nobody excluded)')
    .action(async (options: EventOptions & { placeBy?: string; ageGroups?: string; ageBasis?: string; excludeOverall?: string }) => {
      if (options.placeBy !== undefined && options.placeBy !== 'chip' && options.placeBy !== 'gun') {
        throw new RaceDeskError('invalid_input', `--place-by must be chip or gun, got "${options.placeBy}".`);
      }
      let ageBrackets: number[] | undefined;
      try {
        ageBrackets = options.ageGroups === undefined ? undefined : parseAgeBrackets(options.ageGroups);
      } catch {
        throw new RaceDeskError('invalid_input', `--age-groups "${options.ageGroups}" is not a list of ascending age brackets such as "0-19,20-29,30+".`);
      }
      const ageBasis = options.ageBasis === undefined ? undefined : ageBasisOption(options.ageBasis);
      const excludeOverallPlaces = wholeNumberOption('--exclude-overall', options.excludeOverall, 0, 100);
      await context.withCore(async (core) => {
        const event = { event: options.event, provider: options.provider };
        const change = { placeBy: options.placeBy as 'chip' | 'gun' | undefined, ageBrackets, ageBasis, excludeOverallPlaces };
        const settings = Object.values(change).every((value) => value === undefined)
          ? await context.call(core, 'results.settings.get', event)
          : await context.call(core, 'results.settings.set', { ...event, ...change });
        context.print(settings, () =>
          [
            `Placed by ${settings.placeBy} time; age groups start at ${settings.ageBrackets.join(', ')}; ${ageBasisLabels[settings.ageBasis]}.`,
            settings.excludeOverallPlaces === 0
              ? 'Overall winners also take age-group places.'
              : `The top ${settings.excludeOverallPlaces} of each gender take no age-group place.`,
          ].join('\n'),
        );
      });
    });

  results
    .command('mappings')
    .description('column mappings saved for timing exports')
    .action(async () => {
      await context.withCore(async (core) => {
        const mappings = await context.call(core, 'results.mappings', {});
        context.print(mappings, () =>
          formatTable(
            mappings.map((m) => ({ name: m.name, format: m.format, bib: m.mapping.bib, chip: m.mapping.chipTime, gun: m.mapping.gunTime, status: m.mapping.status, splits: Object.keys(m.mapping.splits).join(' ') })),
            ['name', 'format', 'bib', 'chip', 'gun', 'status', 'splits'],
          ),
        );
      });
    });
}

function registerHeldCommands(results: Command, context: CliContext): void {
  const held = results
    .command('held')
    .description('rows an import held (unknown bib, unreadable time, bib twice, no bib); assign, correct or dismiss them')
    // Not a required option: commander would demand it of the subcommands too.
    .option('--event <id>', "the provider's event id (required for the list)")
    .option('--provider <name>', 'the provider, when two share the event id')
    .option('--all', 'also the rows already resolved')
    .action(async (options: Partial<EventOptions> & { all?: boolean }) => {
      if (!options.event) held.error("error: required option '--event <id>' not specified", { exitCode: 2, code: 'commander.missingMandatoryOptionValue' });
      await context.withCore(async (core) => {
        const list = await context.call(core, 'results.held', { event: options.event as string, provider: options.provider, all: options.all });
        context.print(list, () =>
          [
            `${list.event.eventName ?? list.event.eventId} (${list.event.sourceProvider}): ${list.open} held row${list.open === 1 ? '' : 's'} open`,
            formatTable(
              list.rows.map((row) => ({ ...row, file: `${row.file_name}:${row.line}`, reason: row.reasons.join('; '), resolved: row.resolution && `${row.resolution}${row.participant_id ? ` (${row.participant_id})` : ''}` })),
              ['id', 'file', 'bib', 'chip_time', 'gun_time', 'status', 'reason', ...(options.all ? ['resolved'] : [])],
            ),
          ].join('\n'),
        );
      });
    });

  const resolved = (row: { id: number; resolution: string | null; participant_id: string | null }) =>
    `Held row ${row.id} ${row.resolution}${row.participant_id ? ` (participant ${row.participant_id})` : ''}.`;

  held
    .command('assign <id>')
    .description("write a held row as this runner's result")
    .requiredOption('--participant <id>', 'the participant id, as racedesk lookup shows it')
    .action(async (id: string, options: { participant: string }) => {
      await context.withCore(async (core) => {
        const row = await context.call(core, 'results.held.assign', { id: heldId(id), participantId: options.participant });
        context.print(row, () => resolved(row));
      });
    });

  held
    .command('correct <id>')
    .description('correct a held row and write it (refused, changing nothing, while it still has a problem)')
    .option('--bib <bib>', 'the right bib')
    .option('--chip-time <time>', 'the right chip time')
    .option('--gun-time <time>', 'the right gun time')
    .option('--status <status>', 'FIN, DNF, DNS or DQ')
    .action(async (id: string, options: { bib?: string; chipTime?: string; gunTime?: string; status?: string }) => {
      await context.withCore(async (core) => {
        const row = await context.call(core, 'results.held.correct', { id: heldId(id), ...options });
        context.print(row, () => resolved(row));
      });
    });

  held
    .command('dismiss <id>')
    .description('set a held row aside (still listed with --all)')
    .action(async (id: string) => {
      await context.withCore(async (core) => {
        const row = await context.call(core, 'results.held.dismiss', { id: heldId(id) });
        context.print(row, () => resolved(row));
      });
    });
}

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function heldId(text: string): number {
  if (!/^\d+$/.test(text.trim())) throw new RaceDeskError('invalid_input', `A held row id is a number (the id column of racedesk results held), got "${text}".`);
  return Number(text);
}

/** "year-end" as typed on the command line -> the stored "year_end". */
function ageBasisOption(text: string): AgeBasis {
  const basis = text.trim().toLowerCase().replace(/-/g, '_');
  if (!(ageBases as readonly string[]).includes(basis)) {
    throw new RaceDeskError('invalid_input', `--age-basis must be race-day, year-end or provider-date, got "${text}".`);
  }
  return basis as AgeBasis;
}

/** An optional whole-number option, checked before anything is opened. */
function wholeNumberOption(name: string, text: string | undefined, min: number, max: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    throw new RaceDeskError('invalid_input', `${name} must be a whole number${max < Number.MAX_SAFE_INTEGER ? ` from ${min} to ${max}` : ''}, got "${text}".`);
  }
  return value;
}

function readTimingFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new RaceDeskError('invalid_input', `Cannot read ${file}: ${(error as Error).message}`);
  }
  return decodeTimingFile(bytes);
}
