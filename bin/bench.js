#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only=lookup,ingest,resync,delete,push,pull,memory,hub,ui,desktop] [-- --explain]`: see tests/bench/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../tests/bench/main.ts');
