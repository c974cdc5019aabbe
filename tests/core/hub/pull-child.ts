// Runs the real pull in its own process, so the crash test can SIGKILL it. With a stop step
// given, it announces "stopped" at that checkpoint and waits there to be killed; a stop inside
// the SQLite transaction ('batch-writing') blocks the thread right there, the transaction open.
import { writeSync } from 'node:fs';
import { openDatabase } from '../../../src-main/core/store/database.ts';
import { pullChanges } from '../../../src-main/core/hub/pull.ts';

const [dbPath, url, password, partnerId, batchSize, stopAt, bulkFrom] = process.argv.slice(2);
const db = openDatabase(dbPath);
let step = 0;
const summary = await pullChanges(db, {
  connection: { url, password },
  partnerId: Number(partnerId),
  batchSize: Number(batchSize),
  bulkFrom: bulkFrom === undefined ? undefined : Number(bulkFrom),
  checkpoint: (name) => {
    step += 1;
    if (step !== Number(stopAt)) return;
    writeSync(1, `stopped ${name}\n`);
    if (name === 'batch-writing') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
    return new Promise(() => {});
  },
});
process.stdout.write(`${JSON.stringify({ ...summary, steps: step })}\n`);
db.close();
