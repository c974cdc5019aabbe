import { join } from 'node:path';

/**
 * Where the desktop app finds better-sqlite3 built for Electron's ABI. node_modules keeps the
 * build for Node (the CLI and the tests); `npm run rebuild:electron` (scripts/electron-native.js)
 * writes Electron's into native/electron/<arch>/, and the installer carries it as a resource.
 */
export function electronSqliteBinding(app: { isPackaged: boolean; appPath: string; resourcesPath: string; arch: string }): string {
  return app.isPackaged
    ? join(app.resourcesPath, 'native', 'better_sqlite3.node')
    : join(app.appPath, 'native', 'electron', app.arch, 'better_sqlite3.node');
}
