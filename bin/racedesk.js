#!/usr/bin/env node
// The `racedesk` command: runs the TypeScript CLI through tsx, so `npx racedesk` works right after `npm install`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src-main/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
