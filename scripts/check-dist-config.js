#!/usr/bin/env node
// `npm run check:dist-config`: electron-builder's own schema check of electron-builder.yml, plus
// the files it names, without packaging (so without downloading Electron).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js');
const { DebugLogger } = require('builder-util');

/** Loads the configuration as electron-builder does and validates it; throws naming each problem. */
export async function checkDistConfig(projectDir, override = null) {
  const config = await getConfig(projectDir, null, override);
  await validateConfiguration(config, new DebugLogger(false));
  const named = [config.win?.icon, config.mac?.icon, config.linux?.icon, config.afterExtract].filter((file) => typeof file === 'string');
  const missing = named.filter((file) => !existsSync(join(projectDir, file)));
  if (missing.length > 0) throw new Error(`electron-builder.yml names files that do not exist: ${missing.join(', ')}`);
  return config;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const config = await checkDistConfig(join(import.meta.dirname, '..'));
    console.log(`electron-builder.yml is valid: ${config.appId}, ${config.productName}`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  }
}
