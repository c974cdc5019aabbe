/* The walk-up form's rules that are not layout: what to send, and which field an error is about. */

export interface WalkUpFields {
  event: string;
  firstName: string;
  lastName: string;
  gender: '' | 'M' | 'F' | 'X';
  dateOfBirth: string;
  email: string;
  phone: string;
  city: string;
  state: string;
  teamName: string;
  shirtSize: string;
  emergencyContactName: string;
  emergencyContactPhone: string;
  /** As typed: "45", "45.50", "45,50". */
  amountPaid: string;
  paymentMethod: '' | PaymentMethod;
  waiverAccepted: boolean;
  bib: string;
  checkIn: boolean;
}

export type PaymentMethod = 'cash' | 'card' | 'check' | 'comp' | 'online' | 'other';

export const paymentMethodOptions: Array<{ value: PaymentMethod; label: string }> = [
  { value: 'cash', label: 'Cash' },
  { value: 'card', label: 'Card' },
  { value: 'check', label: 'Check' },
  { value: 'online', label: 'Paid online' },
  { value: 'comp', label: 'Free (comp)' },
  { value: 'other', label: 'Other' },
];

export const emptyWalkUp: WalkUpFields = {
  event: '',
  firstName: '',
  lastName: '',
  gender: '',
  dateOfBirth: '',
  email: '',
  phone: '',
  city: '',
  state: '',
  teamName: '',
  shirtSize: '',
  emergencyContactName: '',
  emergencyContactPhone: '',
  amountPaid: '',
  paymentMethod: '',
  waiverAccepted: false,
  bib: '',
  checkIn: true,
};

/** The amount as a number of the event's currency; null when empty, NaN when not an amount. */
export function parseAmount(text: string): number | null {
  const trimmed = text.trim().replace(/^[$€£]\s*/, '');
  if (!trimmed) return null;
  if (!/^\d+([.,]\d{1,2})?$/.test(trimmed)) return Number.NaN;
  return Number(trimmed.replace(',', '.'));
}

/** Select value for an event: provider and event id, since event ids collide across providers. */
export function eventOption(provider: string, eventId: string): string {
  return `${provider}|${eventId}`;
}

export function parseEventOption(value: string): { provider: string; eventId: string } | null {
  const at = value.indexOf('|');
  if (at <= 0 || at === value.length - 1) return null;
  return { provider: value.slice(0, at), eventId: value.slice(at + 1) };
}

/** Problems the volunteer can fix before asking the station (the core checks everything again). */
export function missingFields(fields: WalkUpFields): Partial<Record<keyof WalkUpFields, string>> {
  const problems: Partial<Record<keyof WalkUpFields, string>> = {};
  if (!parseEventOption(fields.event)) problems.event = 'Pick the event the runner joins.';
  if (!fields.firstName.trim()) problems.firstName = 'First name is required.';
  if (!fields.lastName.trim()) problems.lastName = 'Last name is required.';
  if (!fields.gender) problems.gender = 'Pick a gender.';
  if (!/^\d{4}-\d{2}-\d{2}$/.test(fields.dateOfBirth)) problems.dateOfBirth = 'Date of birth is required (YYYY-MM-DD).';
  const amount = parseAmount(fields.amountPaid);
  if (Number.isNaN(amount)) problems.amountPaid = 'Type the amount as digits, e.g. 45 or 45.50.';
  if (amount !== null && amount > 0 && !fields.paymentMethod) problems.paymentMethod = 'Pick how the runner paid.';
  if (!fields.waiverAccepted) problems.waiverAccepted = 'The runner must accept the waiver before racing.';
  return problems;
}

/** The registerWalkUp input: empty optional fields are left out rather than sent as "". */
export function walkUpInput(fields: WalkUpFields, confirmTaken: boolean) {
  const event = parseEventOption(fields.event);
  if (!event) throw new Error('No event selected.');
  const optional = (value: string) => (value.trim() ? value.trim() : undefined);
  return {
    provider: event.provider,
    eventId: event.eventId,
    firstName: fields.firstName.trim(),
    lastName: fields.lastName.trim(),
    gender: fields.gender as 'M' | 'F' | 'X',
    dateOfBirth: fields.dateOfBirth,
    email: optional(fields.email),
    phone: optional(fields.phone),
    city: optional(fields.city),
    state: optional(fields.state),
    teamName: optional(fields.teamName),
    shirtSize: optional(fields.shirtSize),
    emergencyContactName: optional(fields.emergencyContactName),
    emergencyContactPhone: optional(fields.emergencyContactPhone),
    amountPaid: parseAmount(fields.amountPaid) ?? undefined,
    paymentMethod: fields.paymentMethod || undefined,
    waiverAccepted: fields.waiverAccepted,
    bib: optional(fields.bib),
    confirmTaken,
    checkIn: fields.checkIn,
  };
}

/**
 * Spreads an invalid_input message from the API ("Invalid input for x: firstName: First name is
 * required.; dateOfBirth: ...") onto the form's fields; what names no field stays general.
 */
export function fieldErrorsFromMessage(message: string, fieldNames: readonly string[]): { fields: Record<string, string>; general: string | null } {
  const fields: Record<string, string> = {};
  const body = message.replace(/^Invalid input for [^:]+:\s*/, '');
  if (body === message) return { fields, general: message };
  const rest: string[] = [];
  for (const part of body.split(/;\s*/)) {
    const match = /^([A-Za-z0-9_.]+):\s*(.+)$/.exec(part);
    const field = match?.[1].split('.')[0];
    if (match && field && fieldNames.includes(field)) fields[field] = match[2];
    else rest.push(part);
  }
  return { fields, general: rest.length ? rest.join('; ') : null };
}
