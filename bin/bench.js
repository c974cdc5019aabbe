#!/usr/bin/env node
// `npm run bench [-- --quick] [-- --only=lookup,ingest,push,pull,ui]`: see tests/bench/main.ts.
import { register } from 'tsx/esm/api';

register();
await import('../tests/bench/main.ts');
