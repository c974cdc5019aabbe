import { RaceDeskError } from '../core/errors.ts';
import type { StartupFailure } from './protocol.ts';

/**
 * Turns whatever stopped the core from starting into a dialog a crew member can act on: what
 * went wrong and the fix. Every start-up path (native module, database, keychain, station port)
 * ends here, so the app never hangs without a window.
 */
export function describeStartupFailure(error: unknown, context: { settingsPath?: string } = {}): StartupFailure {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (error instanceof RaceDeskError && error.code === 'database_too_new') {
    return { code: 'database_too_new', title: 'This database is from a newer RaceDesk', message };
  }
  if (error instanceof RaceDeskError && error.code === 'keychain_unavailable') {
    return { code: 'keychain_unavailable', title: 'No OS keychain available', message };
  }
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|better_sqlite3\.node|bindings file/.test(message)) {
    return {
      code: 'native_module',
      title: 'The database module could not be loaded',
      message:
        `SQLite's native module does not load in this app (${firstLine(message)}). It was built for another ` +
        'runtime or processor. Reinstall RaceDesk; from a source checkout, run `npm run rebuild:electron` and start again.',
    };
  }
  if (code === 'EADDRINUSE') {
    const where = context.settingsPath ? ` (station.port in ${context.settingsPath})` : '';
    return {
      code: 'port_in_use',
      title: 'The station port is in use',
      message:
        `RaceDesk serves other devices on a port another program already uses (${firstLine(message)}). ` +
        `Quit that program (another RaceDesk or \`racedesk station\`), or choose another port${where}, then start RaceDesk again.`,
    };
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') {
    return {
      code: 'data_folder',
      title: 'The data folder cannot be written',
      message: `RaceDesk could not write its data folder (${firstLine(message)}). Free disk space or fix the folder's permissions, then start again.`,
    };
  }
  return {
    code: 'unexpected',
    title: 'RaceDesk could not start',
    message: `${firstLine(message)}. Start RaceDesk again; if this repeats, report this message to your RaceDesk support.`,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0].replace(/\.$/, '');
}
