import { homedir } from 'node:os';
import { join } from 'node:path';

/** The product name Electron derives userData from (package.json "productName"). */
export const appFolderName = 'RaceDesk';

/**
 * Electron's userData folder for RaceDesk on this OS, computed without Electron, so the CLI and
 * the desktop app use the same database and settings by default.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.RACEDESK_DATA_DIR) return env.RACEDESK_DATA_DIR;
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', appFolderName);
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), appFolderName);
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), appFolderName);
}
