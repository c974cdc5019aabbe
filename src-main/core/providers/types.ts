import type { z } from 'zod';
import type { HttpClient } from './http.ts';
import type { RecordIssue } from './record-problems.ts';

export const providerNames = ['runsignup', 'chronotrack', 'raceroster', 'copernico', 'haku'] as const;
export type ProviderName = (typeof providerNames)[number];

export interface SecretField {
  /** Key in the secret JSON read from stdin / the Settings form, e.g. "api_key". */
  key: string;
  label: string;
  /** Shown as a password field and never echoed back. */
  secret: boolean;
  /** May be left empty (the provider's schema reads an empty value as absent). */
  optional?: boolean;
}

/** A row for one provider table, column name -> value (already in SQLite types). */
export type TableRow = Record<string, string | number | null>;

export interface TableTarget {
  table: string;
  /** Columns of the table's natural UNIQUE key (see migration 0001). */
  key: readonly string[];
  /**
   * Columns besides fetched_date that the mapping fills with the time of the fetch rather than
   * with what the provider says (Copernico's updated_at): written with a changed row, but they do
   * not by themselves make a row changed (store/upsert.ts).
   */
  fetchStamps?: readonly string[];
}

/** One event (the timed unit a crew selects) as the provider's event listing reports it. */
export interface ProviderEvent {
  /** The event id as unified_events shows it. */
  eventId: string;
  name: string;
  /** ISO date-time or date, when known. */
  startsAt: string | null;
  /** Parent or child level in the provider's own hierarchy (RunSignUp race, Race Roster sub-event...). */
  groupId?: string | null;
  groupName?: string | null;
  /** Rows for the provider's events table (usually one; Race Roster gives one per sub-event). */
  rows: TableRow[];
}

export interface Page {
  rows: TableRow[];
  /** Records of this page stored with a field left NULL, or skipped for want of their key. */
  problems?: RecordIssue[];
  /** Natural keys of rows the provider reports as removed (RunSignUp removed-participants). */
  deletedKeys?: TableRow[];
  /** Rows for the definition's removals table, stored before deletedKeys are deleted. */
  removals?: TableRow[];
  /** 1-based page number, and the page count when the provider says it. */
  page: number;
  pageCount?: number | null;
  /** Incremental cursor valid once every page up to this one is stored and the run completes. */
  cursorAfter?: string | null;
}

export interface ListOptions {
  /** Also list events that started on or after this day (YYYY-MM-DD), where the provider can be asked. */
  startDate?: string;
  /** Where listing records that were stored with a NULL field, or skipped, are reported. */
  problems?: RecordIssue[];
}

/** An id asked for, with what an earlier sync stored about it (eventId null: a group id such as a RunSignUp race). */
export interface KnownEvent {
  id: string;
  eventId: string | null;
  groupId: string | null;
  name: string | null;
  startsAt: string | null;
}

export interface FetchOptions {
  /** Cursor from the previous complete run; null means a full sync. */
  since: string | null;
  signal?: AbortSignal;
  /**
   * Ids (the table's last key column) of this event's stored rows with a value in any of
   * `columns`: a provider that needs one extra request per record for some fields spends it only
   * on records no earlier sync has filled.
   */
  storedIdsWith?: (columns: readonly string[]) => ReadonlySet<string>;
}

/** One result for a provider's results API, in the provider's own field names. */
export interface ResultUploadRow {
  fields: Record<string, string | number>;
  /** How a person names the row in a message: "bib 101 (Ann Smith)". */
  label: string;
}

export interface ResultUpload {
  eventId: string;
  /** The provider's parent of the event (a RunSignUp race id). */
  groupId: string;
  /** The result set an earlier publish created for this event, to be replaced; null: create one. */
  resultSetId: string | null;
  resultSetName: string;
  rows: readonly ResultUploadRow[];
  /** Called as soon as a new result set exists, before any row is sent: a publish cut short must not make a second set next time. */
  onResultSet?: (resultSetId: string) => void;
  signal?: AbortSignal;
  onProgress?: (progress: { sent: number; total: number }) => void;
}

export interface ResultUploadOutcome {
  resultSetId: string;
  /** A new result set (the first publish, or the remembered one is gone); otherwise it was cleared and refilled. */
  created: boolean;
  accepted: number;
  rejected: Array<{ label: string; message: string }>;
}

/** An authenticated conversation with one provider account. */
export interface ProviderSession {
  /** Throws RaceDeskError('auth_failed', ...) when the credentials are refused. */
  verifyCredentials(): Promise<void>;
  listEvents(signal?: AbortSignal, options?: ListOptions): Promise<ProviderEvent[]>;
  /**
   * Events straight by id, for events an earlier sync stored but the listing no longer shows
   * (finished or renewed races). `known` are the stored rows of those ids. Ids the account
   * cannot read are left out of the answer.
   */
  fetchEvents?(wanted: readonly KnownEvent[], signal?: AbortSignal): Promise<ProviderEvent[]>;
  participantPages(event: ProviderEvent, options: FetchOptions): AsyncIterable<Page>;
  /** Only for providers that publish results (ChronoTrack, Copernico). */
  resultPages?(event: ProviderEvent, options: FetchOptions): AsyncIterable<Page>;
  /** Only for providers that take results back (RunSignUp): replaces the event's result set with these rows. */
  publishResults?(upload: ResultUpload): Promise<ResultUploadOutcome>;
}

export interface SessionContext<Secret> {
  baseUrl: string;
  secret: Secret;
  /** Account label, stored in each row's credentials_used (never the secret itself). */
  accountLabel: string;
  timingPartnerId: number | null;
  http: HttpClient;
  /**
   * Replaces the account's stored secret, for a provider that hands out a new one during the
   * session (a rotated OAuth refresh token).
   */
  saveSecret?: (secret: Secret) => Promise<void>;
}

export interface ProviderDefinition<Secret = Record<string, string>> {
  name: ProviderName;
  displayName: string;
  defaultBaseUrl: string;
  secretFields: readonly SecretField[];
  secretSchema: z.ZodType<Secret>;
  tables: {
    events: TableTarget;
    participants: TableTarget;
    results?: TableTarget;
    /** What the provider says about registrations it removed (RunSignUp's transfer links). */
    removals?: TableTarget;
  };
  /** Query parameters and headers whose values must never appear in logs or error messages. */
  secretParams?: readonly string[];
  connect(context: SessionContext<Secret>): ProviderSession;
}

/**
 * A definition of any provider, whatever its secret's shape: the registry and the sync engine hold all
 * five side by side and pass each secret only to its own definition, which parses it.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyProviderDefinition = ProviderDefinition<any>;
