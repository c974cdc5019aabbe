// Runs one real `migrateHub` in its own process (the concurrency test starts two at once).
import { migrateHub } from '../../../src-main/core/hub/migrate.ts';

const result = await migrateHub({ url: process.argv[2] });
process.stdout.write(JSON.stringify(result));
