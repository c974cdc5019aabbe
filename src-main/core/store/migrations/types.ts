import type { Db } from '../database.ts';

export interface Migration {
  /** Strictly increasing; gaps are allowed so parallel work can reserve ranges. */
  version: number;
  name: string;
  /** Runs inside the migration transaction. */
  up: string;
  /** Work SQL cannot express (the JS folding of store/search-index.ts), run after `up` in the same transaction. */
  then?: (db: Db) => void;
}
