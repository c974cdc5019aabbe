import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { type RaceDeskBridge, eventChannel, invokeChannel } from './bridge.ts';

// Only these two functions cross into the page; no ipcRenderer, no channel names, no Node.
const bridge: RaceDeskBridge = {
  invoke: (name, input) => ipcRenderer.invoke(invokeChannel, String(name), input),
  on: (event, listener) => {
    const relay = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(eventChannel, relay);
    return () => ipcRenderer.removeListener(eventChannel, relay);
  },
};

contextBridge.exposeInMainWorld('racedesk', bridge);
