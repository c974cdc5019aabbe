/*
 * Every Haku detail that ../shared/providers/haku.md marks [ASSUMED] (§5, "assumed contract"):
 * Haku's partner API spec is not public, so the client and the simulator agree on these choices.
 * When a real organisation's API client shows otherwise, correct them here.
 */

/*
 * Field check (../shared/providers/field-check.md §6), applied:
 * - corrected: event ids are opaque text (Project88Hub reads str(id)), not only 20 hex characters;
 * - corrected: `distance` may be text ("5K", "13.1 mi", "half", "marathon"), read with its unit;
 * - corrected: registration numbers are not known to be unique across events: participants are
 *   keyed by (event_id, participant_id) (store migration 0082), as Project88Hub's backfill does;
 * - corrected: a detail without `participant`, a dob with a time part, and any other value we
 *   cannot read no longer fail the page (NULL + a recorded problem);
 * - corrected: a 403 on one event fails that event only;
 * - corrected: the flat `location_name`/`_city`/`_state` fields H1 reads make haku_events.location
 *   (the nested `location` object of the reference still works);
 * - corrected: `event_categories[0].chip_number`, `wave_name` and `corral_name` are stored
 *   (chip_number, wave, corral; store migration 0125) beside `shirt_size_name`; wave and corral
 *   show on the pickup card;
 * - checked against payloads shaped like the live API (tests/core/providers/haku/documented-example.test.ts):
 *   bare lists, opaque id, "5K", string price, summary without id or updated_at, dob with a time;
 * - still unconfirmed: `updated_at` on the summary (not listed by the live-API debug scripts; without
 *   it every run reads every registration in detail), and every field name (third-party code only).
 */

/** The integrator's notes say 25 per page per the spec, later 100 in practice: ask for 25, page until short. */
export const pageSize = 25;
export const simulatorMaxPageSize = 100;

/** Lists arrive as {"events": [...], "meta": {...}} / {"participants": [...], "meta": {...}}; a bare array is also accepted [3P]. */
export const eventsEnvelope = 'events';
export const participantsEnvelope = 'participants';

/**
 * The participant summary carries `updated_at` (an assumed addition). With the list sorted by
 * updated_at descending, a run stops at the first record older than the last run's cursor.
 */
export const summaryUpdatedAtField = 'updated_at';

/** Timestamps: ISO-8601 UTC with "Z"; the integrator also parses "YYYY-MM-DD HH:MM:SS", taken here as UTC. */
export const naiveTimestampsAreUtc = true;

/**
 * haku_participants has no status column, so a cancellation must show in payment_status or a
 * crew would hand a bib to a cancelled runner. Without Haku's own payment_status (an assumed
 * field): cancelled -> "cancelled", amount > 0 -> "paid", 0 -> "free".
 */
export function paymentStatusFor(detail: { is_cancelled?: boolean | null; payment_status?: string | null; transaction_amount?: number | null }): string | null {
  const given = detail.payment_status?.trim() || null;
  if (detail.is_cancelled) return given === 'refunded' ? 'refunded' : 'cancelled';
  if (given) return given;
  if (detail.transaction_amount === null || detail.transaction_amount === undefined) return null;
  return detail.transaction_amount > 0 ? 'paid' : 'free';
}

/** No nationality field in the [3P] evidence: the assumed participant.nationality, else the address country. */
export function nationalityFor(participant: { nationality?: string | null; address?: { country?: string | null } | null }): string | null {
  return participant.nationality?.trim() || participant.address?.country?.trim() || null;
}

/**
 * special_requirements is an assumed field; without it, answers to questions that look like
 * needs (medical, accessibility, allergies) are joined, so they reach the pickup table.
 */
const needsQuestion = /medical|allerg|accessib|wheelchair|disab|requirement|special need|assistance/i;

export function specialRequirementsFor(detail: {
  special_requirements?: string | null;
  additional_questions?: Array<{ question?: string | null; answer?: unknown }> | null;
}): string | null {
  if (detail.special_requirements?.trim()) return detail.special_requirements.trim();
  const answers = (detail.additional_questions ?? [])
    .filter((q) => q.question && needsQuestion.test(q.question))
    .map((q) => (q.answer === null || q.answer === undefined ? '' : String(q.answer).trim()))
    .filter((answer) => answer !== '' && !/^(none|no|n\/a)$/i.test(answer));
  return answers.length > 0 ? answers.join('; ') : null;
}
