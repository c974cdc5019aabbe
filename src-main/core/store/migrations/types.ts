export interface Migration {
  /** Strictly increasing; gaps are allowed so parallel work can reserve ranges. */
  version: number;
  name: string;
  /** Runs inside the migration transaction. */
  up: string;
}
