import { beforeEach, describe, expect, it, vi } from 'vitest';

/*
 * Electron cannot run here, so the module is replaced by a recorder of the calls window.ts makes
 * (the same BrowserWindow, session and shell API surface); the test then drives the handlers
 * Electron would call and checks what the window does: its web preferences, the CSP it puts on
 * every response, the windows it refuses and the navigation it blocks.
 */
const electron = vi.hoisted(() => {
  const recorded = {
    options: undefined as undefined | { webPreferences: Record<string, unknown> },
    onHeadersReceived: undefined as undefined | ((details: { responseHeaders: Record<string, string[]> }, callback: (response: unknown) => void) => void),
    windowOpenHandler: undefined as undefined | ((details: { url: string }) => { action: string }),
    listeners: new Map<string, (event: { preventDefault: () => void }, url: string) => void>(),
    currentUrl: 'file:///app/renderer/index.html',
    openedExternally: [] as string[],
  };
  class BrowserWindow {
    webContents = {
      setWindowOpenHandler: (handler: typeof recorded.windowOpenHandler) => {
        recorded.windowOpenHandler = handler;
      },
      on: (name: string, listener: (event: { preventDefault: () => void }, url: string) => void) => {
        recorded.listeners.set(name, listener);
      },
      getURL: () => recorded.currentUrl,
    };
    constructor(options: typeof recorded.options) {
      recorded.options = options;
    }
    once() {}
    show() {}
    loadURL() {
      return Promise.resolve();
    }
    loadFile() {
      return Promise.resolve();
    }
  }
  const session = {
    defaultSession: {
      webRequest: {
        onHeadersReceived: (listener: typeof recorded.onHeadersReceived) => {
          recorded.onHeadersReceived = listener;
        },
      },
    },
  };
  const shell = {
    openExternal: (url: string) => {
      recorded.openedExternally.push(url);
      return Promise.resolve();
    },
  };
  return { recorded, module: { BrowserWindow, session, shell } };
});
vi.mock('electron', () => ({ ...electron.module, default: electron.module }));

const { createMainWindow } = await import('../../src-main/electron/window.ts');
const { recorded } = electron;

beforeEach(() => {
  recorded.openedExternally.length = 0;
  recorded.listeners.clear();
  createMainWindow();
});

describe('the Electron window', () => {
  it('isolates the renderer: context isolation, sandbox, no Node integration, web security', () => {
    expect(recorded.options?.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
  });

  it('puts a strict Content-Security-Policy on every response, keeping the other headers', () => {
    let response: { responseHeaders: Record<string, string[]> } | undefined;
    recorded.onHeadersReceived?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, (r) => {
      response = r as typeof response;
    });
    expect(response?.responseHeaders['Content-Type']).toEqual(['text/html']);
    const policy = response?.responseHeaders['Content-Security-Policy']?.[0] ?? '';
    expect(policy.split('; ')).toEqual(expect.arrayContaining(["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]));
    expect(policy).not.toMatch(/script-src[^;]*unsafe/);
  });

  it('opens no window of its own: web links go to the system browser, anything else nowhere', () => {
    expect(recorded.windowOpenHandler?.({ url: 'https://runsignup.com/Race/1' })).toEqual({ action: 'deny' });
    expect(recorded.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(recorded.windowOpenHandler?.({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    expect(recorded.openedExternally).toEqual(['https://runsignup.com/Race/1']);
  });

  it('blocks navigation away from the app and lets a reload of the same page through', () => {
    const navigate = (url: string) => {
      const event = { prevented: false, preventDefault() {
        this.prevented = true;
      } };
      recorded.listeners.get('will-navigate')?.(event, url);
      return event.prevented ? 'blocked' : 'allowed';
    };
    expect(navigate('https://evil.example/phish')).toBe('blocked');
    expect(navigate('file:///etc/passwd')).toBe('blocked');
    expect(navigate(recorded.currentUrl)).toBe('allowed');
  });
});
