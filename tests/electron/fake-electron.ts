import { EventEmitter } from 'node:events';
import type { ShellApp, ShellIpcMain, ShellWindow } from '../../src-main/electron/shell.ts';

/** The parts of Electron's `app` the shell uses, recording what it was asked to do. */
export class FakeApp extends EventEmitter implements ShellApp {
  readonly calls: string[] = [];
  exitCode: number | null = null;
  private readonly exited: Promise<number>;
  private resolveExit!: (code: number) => void;

  constructor(private readonly hasLock = true) {
    super();
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }
  whenReady() {
    return Promise.resolve();
  }
  requestSingleInstanceLock() {
    return this.hasLock;
  }
  /** Like Electron: `before-quit` listeners may cancel; otherwise the app ends with code 0. */
  quit() {
    this.calls.push('quit');
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.exit(0);
  }
  exit(code: number) {
    this.calls.push(`exit ${code}`);
    this.exitCode = code;
    this.resolveExit(code);
  }
  /** Settles when the app has ended (quit that nobody held, or exit). */
  ended(): Promise<number> {
    return this.exited;
  }
}

export class FakeIpcMain implements ShellIpcMain {
  readonly handlers = new Map<string, (event: { senderFrame: unknown }, ...args: unknown[]) => unknown>();
  handle(channel: string, listener: (event: { senderFrame: unknown }, ...args: unknown[]) => unknown) {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  invoke(channel: string, senderFrame: unknown, ...args: unknown[]) {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`No handler registered for '${channel}'`);
    return handler({ senderFrame }, ...args);
  }
}

export class FakeWindow extends EventEmitter implements ShellWindow {
  destroyed = false;
  minimized = false;
  focused = 0;
  readonly sent: Array<[string, ...unknown[]]> = [];
  readonly webContents = {
    mainFrame: { frame: 'main' },
    send: (channel: string, ...args: unknown[]) => void this.sent.push([channel, ...args]),
  };
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
  restore() {
    this.minimized = false;
  }
  focus() {
    this.focused += 1;
  }
  close() {
    this.destroyed = true;
    this.emit('closed');
  }
}
