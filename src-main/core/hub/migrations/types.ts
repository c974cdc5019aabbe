export interface HubMigration {
  /** Strictly increasing; recorded in the hub's hub_schema_migrations table. */
  version: number;
  name: string;
  /** PostgreSQL, run inside the migration transaction. Must run on PostgreSQL 13. */
  up: string;
}
