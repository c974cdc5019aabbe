import { RaceDeskError } from '../../errors.ts';
import type { ResultUpload, ResultUploadOutcome, ResultUploadRow } from '../types.ts';
import type { RunSignUpClient } from './client.ts';
import { runsignupResultsApi } from './assumptions.ts';

/*
 * Results back to RunSignUp (runsignup.md §3.6, field check R9): the event's result set is created
 * once (new-result-set), and a later publish clears that same set (clear-results) before posting
 * the rows again (full-results), so the race's results page never shows a runner twice. Every
 * call carries event_id in the query and its fields as a form with request_format=json, as
 * RunSignUp's own examples send them.
 */

const { batchSize } = runsignupResultsApi;

export async function publishRunSignUpResults(client: RunSignUpClient, upload: ResultUpload): Promise<ResultUploadOutcome> {
  const { eventId, groupId: raceId, signal } = upload;
  const path = (method: string) => `race/${raceId}/results/${method}`;
  const query = { event_id: eventId };
  const known = upload.resultSetId !== null && (await resultSetIds(client, raceId, eventId, signal)).has(upload.resultSetId);
  let resultSetId: string;
  if (known) {
    resultSetId = upload.resultSetId!;
    await client.post(path('clear-results'), query, { request_format: 'json', individual_result_set_id: resultSetId }, `the results of event ${eventId}`, signal);
  } else {
    const request = { individual_result_set_name: upload.resultSetName, public_results: 'T', results_source_name: 'RaceDesk' };
    const body = await client.post(path('new-result-set'), query, { request_format: 'json', request: JSON.stringify(request) }, `a new result set for event ${eventId}`, signal);
    const id = (body as { individual_result_set_id?: unknown } | null)?.individual_result_set_id;
    if ((typeof id !== 'number' && typeof id !== 'string') || String(id) === '') {
      throw new RaceDeskError('provider_error', `RunSignUp created a result set for event ${eventId} but did not say its id; nothing was published.`);
    }
    resultSetId = String(id);
    upload.onResultSet?.(resultSetId);
  }

  const post = (rows: readonly ResultUploadRow[]) =>
    client.post(
      path('full-results'),
      query,
      { request_format: 'json', individual_result_set_id: resultSetId, request: JSON.stringify({ results: rows.map((row) => row.fields) }) },
      `the results of event ${eventId}`,
      signal,
    );
  let accepted = 0;
  const rejected: ResultUploadOutcome['rejected'] = [];
  let sent = 0;
  upload.onProgress?.({ sent, total: upload.rows.length });
  for (let start = 0; start < upload.rows.length; start += batchSize) {
    const batch = upload.rows.slice(start, start + batchSize);
    try {
      await post(batch);
      accepted += batch.length;
    } catch (error) {
      if (refusal(error) === null) throw error;
      // RunSignUp refuses a whole request for one bad row (assumptions.ts): the batch goes again
      // row by row, so the good rows are published and each bad one is named with RunSignUp's words.
      for (const row of batch) {
        try {
          await post([row]);
          accepted++;
        } catch (rowError) {
          const reason = refusal(rowError);
          if (reason === null) throw rowError;
          rejected.push({ label: row.label, message: `RunSignUp refused ${row.label}: ${reason.message} (error ${reason.code}).` });
        }
      }
    }
    sent += batch.length;
    upload.onProgress?.({ sent, total: upload.rows.length });
  }
  return { resultSetId, created: !known, accepted, rejected };
}

/** RunSignUp's code and words when it refused what was sent (not the sign-in, the network or the account's rights). */
function refusal(error: unknown): { code: number; message: string } | null {
  if (!(error instanceof RaceDeskError) || error.code !== 'provider_error') return null;
  const details = error.details as { runsignupError?: { code: number; message: string } } | undefined;
  return details?.runsignupError ?? null;
}

/** The event's result sets as RunSignUp has them now (a director may have deleted the one we made). */
async function resultSetIds(client: RunSignUpClient, raceId: string, eventId: string, signal?: AbortSignal): Promise<Set<string>> {
  const body = await client.get(`race/${raceId}/results/get-result-sets`, { event_id: eventId }, `the result sets of event ${eventId}`, signal);
  const sets = (body as { individual_results_sets?: unknown } | null)?.individual_results_sets;
  if (!Array.isArray(sets)) {
    throw new RaceDeskError('provider_error', `RunSignUp's result sets of event ${eventId}: the answer has no "individual_results_sets" list.`);
  }
  return new Set(sets.map((set) => String((set as { individual_result_set_id?: unknown } | null)?.individual_result_set_id)));
}
