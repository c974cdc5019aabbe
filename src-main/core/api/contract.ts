import type { z } from 'zod';
import type { ErrorPayload } from '../errors.ts';
import type { Core } from '../core.ts';

/**
 * The one API contract: a map from handler name to {input schema, output schema, run}. The
 * Electron IPC, the station server and the CLI all dispatch through it (api/dispatch.ts), and
 * the renderer's client is typed from it.
 */
export interface Handler<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  run(input: z.output<I>, core: Core): Promise<z.input<O>> | z.input<O>;
}

export function defineHandler<I extends z.ZodType, O extends z.ZodType>(handler: Handler<I, O>): Handler<I, O> {
  return handler;
}

export type HandlerMap = Record<string, Handler>;

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export type InputOf<H> = H extends Handler<infer I, z.ZodType> ? z.input<I> : never;
export type OutputOf<H> = H extends Handler<z.ZodType, infer O> ? z.output<O> : never;
