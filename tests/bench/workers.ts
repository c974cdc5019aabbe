import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface Worker {
  firstLine: string;
  output: Promise<string>;
  stop(): Promise<void>;
}

/** Starts a TypeScript worker process and waits for its first line of output. */
export async function startWorker(script: string, args: string[]): Promise<Worker> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let buffer = '';
  const exited = once(child, 'exit');
  const firstLine = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      const newline = buffer.indexOf('\n');
      if (newline >= 0) resolve(buffer.slice(0, newline));
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before answering`)));
  });
  return {
    firstLine,
    output: exited.then(() => buffer),
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}

/** Runs a worker to completion and returns all it printed. */
export async function runWorker(script: string, args: string[]): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return out;
}
