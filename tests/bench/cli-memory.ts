import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { migrateHub } from '../../src-main/core/hub/migrate.ts';
import { addPartner } from '../../src-main/core/hub/partners.ts';
import { loginUrl, withoutPassword } from '../core/hub/hub-test-kit.ts';
import { startTestPostgres } from '../helpers/postgres.ts';
import { startWorker } from './workers.ts';

export interface CliMemoryFigures {
  rows: number;
  /** Peak RSS (MB) of `racedesk --help`: the command's own floor, measured the same way. */
  startMb: number;
  syncMb: number;
  pushMb: number;
}

/** Peak memory of the `racedesk` processes of a first sync of `participants` runners and their push to a real hub. */
export async function benchCliMemory(participants: number): Promise<CliMemoryFigures> {
  const root = join(import.meta.dirname, '..', '..');
  if (!existsSync(join(root, 'out', 'main', 'cli.js'))) throw new Error('the memory figures measure the built command: run npm run build first');
  const simulator = await startWorker('tests/bench/simulator-worker.ts', [String(participants)]);
  const postgres = await startTestPostgres();
  try {
    const adminUrl = await postgres.createDatabase();
    await migrateHub({ url: adminUrl });
    const partner = await addPartner({ url: adminUrl }, 'Bench Timing');
    const login = withoutPassword(loginUrl(adminUrl, partner.role, partner.password));
    const child = spawn(
      process.execPath,
      [
        join(root, 'scripts', 'with-keychain.js'),
        process.execPath,
        '--import',
        'tsx',
        join(root, 'tests', 'bench', 'cli-memory-worker.ts'),
        simulator.firstLine,
        login.url,
        login.password,
        String(partner.timing_partner_id),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`cli-memory-worker exited with ${code}`);
    return { rows: participants, ...(JSON.parse(out) as Omit<CliMemoryFigures, 'rows'>) };
  } finally {
    await simulator.stop();
    await postgres.stop();
  }
}
