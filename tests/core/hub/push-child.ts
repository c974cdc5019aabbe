// Runs the real push in its own process, so the crash test can SIGKILL it. With a stop step
// given, it announces "stopped" at that checkpoint and waits there to be killed.
import { openDatabase } from '../../../src-main/core/store/database.ts';
import { pushPendingChanges } from '../../../src-main/core/hub/push.ts';

const [dbPath, url, password, partnerId, batchSize, stopAt] = process.argv.slice(2);
const db = openDatabase(dbPath);
let step = 0;
const summary = await pushPendingChanges(db, {
  connection: { url, password },
  partnerId: Number(partnerId),
  batchSize: Number(batchSize),
  checkpoint: async () => {
    step += 1;
    if (step === Number(stopAt)) {
      process.stdout.write('stopped\n');
      await new Promise(() => {});
    }
  },
});
process.stdout.write(`${JSON.stringify({ ...summary, steps: step })}\n`);
db.close();
