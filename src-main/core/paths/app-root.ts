import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding RaceDesk's package.json: the checkout, or the app inside an installer. Found
 * by walking up from this module, because it runs both from src-main/ (tsx, tests) and bundled
 * into out/main/ or out/main/chunks/, each a different depth below it.
 */
export function appRoot(from: string = fileURLToPath(import.meta.url)): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`No package.json above ${from}: RaceDesk's files are incomplete; reinstall it.`);
  }
}
