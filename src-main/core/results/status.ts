/*
 * Result status as crew_results stores it. Timing exports spell it many ways: RunScore puts
 * "DNF" in the time column, FinishLynx puts it where the place goes (and writes SCR for a
 * scratched runner), RaceResult exports words ("Finished", "Disqualified").
 */
export const resultStatuses = ['FIN', 'DNF', 'DNS', 'DQ'] as const;
export type ResultStatus = (typeof resultStatuses)[number];

/** Every status word RaceDesk reads, from timing exports and providers alike (the unified views' status map too). */
export const resultStatusWords: Readonly<Record<string, ResultStatus>> = {
  fin: 'FIN',
  finished: 'FIN',
  finisher: 'FIN',
  ok: 'FIN',
  dnf: 'DNF',
  'did not finish': 'DNF',
  retired: 'DNF',
  withdrawn: 'DNF',
  abandoned: 'DNF',
  dns: 'DNS',
  'did not start': 'DNS',
  scr: 'DNS',
  scratch: 'DNS',
  scratched: 'DNS',
  dq: 'DQ',
  dsq: 'DQ',
  disq: 'DQ',
  disqualified: 'DQ',
};

/** A status word, or undefined when the text is not one (callers decide whether that is an error). */
export function statusFromWord(raw: string): ResultStatus | undefined {
  return resultStatusWords[raw.trim().toLowerCase().replace(/[.\s]+/g, ' ').trim()];
}

export type ParsedStatus = { ok: true; status: ResultStatus | null } | { ok: false; reason: string };

/** A status cell: blank means "not given"; a bare number is a finisher's place (FinishLynx). */
export function parseStatusCell(raw: string): ParsedStatus {
  const text = raw.trim();
  if (text === '') return { ok: true, status: null };
  if (/^\d+$/.test(text)) return { ok: true, status: 'FIN' };
  const status = statusFromWord(text);
  return status ? { ok: true, status } : { ok: false, reason: `status "${text}" is not one of FIN, DNF, DNS, DQ` };
}
