// The `racedesk` command as built to out/main/cli.js (bin/racedesk.js runs it).
import { main } from './main.ts';

process.exitCode = await main(process.argv.slice(2));
