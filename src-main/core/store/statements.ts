import type { Db } from './database.ts';

/**
 * A query module's prepared statements, prepared once per open database and reused: preparing
 * costs more than running the small lookups at a pickup table.
 */
export function preparedPerDb<Statements>(prepare: (db: Db) => Statements): (db: Db) => Statements {
  const cache = new WeakMap<Db, Statements>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) cache.set(db, (prepared = prepare(db)));
    return prepared;
  };
}
