// Preloaded into the benchmark's core host (NODE_OPTIONS=--import): a timer due every few
// milliseconds notes each gap longer than 20 ms between its runs, with the CPU time the host's
// main thread spent in that gap (/proc/self/task/<pid>/stat, Linux). Timers run at the start of
// every loop turn, so a long gap is one turn: its CPU time is the work the host did in one step,
// its wall time also counts waiting for a core on a loaded machine. Lines "<epoch ms> <wall ms>
// <cpu ms>" are appended to the file named by RACEDESK_BENCH_LOOP_TURNS_FILE.
import { appendFileSync, readFileSync } from 'node:fs';

const file = process.env.RACEDESK_BENCH_LOOP_TURNS_FILE;
const stat = `/proc/self/task/${process.pid}/stat`;
const ticksPerMs = 100 / 1000; // USER_HZ: 100 on Linux
const mainThreadCpuMs = () => {
  const fields = readFileSync(stat, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerMs;
};
let lastWall = performance.now();
let lastCpu = mainThreadCpuMs();
setInterval(() => {
  const wall = performance.now();
  const cpu = mainThreadCpuMs();
  if (wall - lastWall > 20) appendFileSync(file, `${Date.now()} ${(wall - lastWall).toFixed(1)} ${(cpu - lastCpu).toFixed(0)}\n`);
  lastWall = wall;
  lastCpu = cpu;
}, 2).unref();
