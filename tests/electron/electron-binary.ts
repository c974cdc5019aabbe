import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const electronPackage = join(import.meta.dirname, '../../node_modules/electron');

/**
 * The Electron executable npm installed, or null. Read without require('electron'), which tries
 * to download a missing binary (machines without internet would hang on it).
 */
export function installedElectron(): string | null {
  const pathFile = join(electronPackage, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? join(electronPackage, 'dist');
  const executable = join(dist, relative);
  return existsSync(executable) ? executable : null;
}
