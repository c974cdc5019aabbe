// Electron entry point (built by electron-vite into out/main). Everything else lives in the core.
import './electron/main.ts';
