import { execFile } from 'node:child_process';
import { join } from 'node:path';

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export const racedeskBin = join(import.meta.dirname, '../../bin/racedesk.js');

/** Runs the real `racedesk` command in a child process on a data folder (and its keychain service), with `stdin` as its input. */
export function runRacedesk(folder: { dataDir: string; keychainService?: string }, args: string[], stdin = ''): Promise<CliRun> {
  const env = folder.keychainService ? { ...process.env, RACEDESK_KEYCHAIN_SERVICE: folder.keychainService } : process.env;
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [racedeskBin, '--data-dir', folder.dataDir, ...args], { env }, (error, stdout, stderr) =>
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end(stdin);
  });
}
