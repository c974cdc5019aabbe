import type { z } from 'zod';
import type { ErrorPayload } from '../errors.ts';
import type { Core } from '../core.ts';
import type { Caller } from './access.ts';

/**
 * The one API contract: a map from handler name to {input schema, output schema, run}. The
 * Electron IPC, the station server and the CLI all dispatch through it (api/dispatch.ts), and
 * the renderer's client is typed from it.
 */
export interface Handler<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** `caller`: the laptop itself, or the joined device making the call (already allowed by dispatch). */
  run(input: z.output<I>, core: Core, caller: Caller): Promise<z.input<O>> | z.input<O>;
}

export function defineHandler<I extends z.ZodType, O extends z.ZodType>(handler: Handler<I, O>): Handler<I, O> {
  return handler;
}

export type HandlerMap = Record<string, Handler>;

type Joined<T extends readonly HandlerMap[]> = T extends readonly [infer First, ...infer Rest extends readonly HandlerMap[]] ? First & Joined<Rest> : unknown;

/*
 * Joins the domains' maps into one. An object spread would let a second handler of the same name
 * silently replace the first (a whole capability gone, with every test of the other domain
 * still green), so a name defined twice stops the app at start-up instead.
 */
export function joinHandlerMaps<const T extends readonly HandlerMap[]>(...maps: T): Joined<T> {
  const joined: HandlerMap = {};
  for (const map of maps) {
    for (const [name, handler] of Object.entries(map)) {
      if (Object.hasOwn(joined, name)) throw new Error(`Two handlers are named "${name}": every handler name must be unique.`);
      joined[name] = handler;
    }
  }
  return joined as Joined<T>;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorPayload };

export type InputOf<H> = H extends Handler<infer I, z.ZodType> ? z.input<I> : never;
export type OutputOf<H> = H extends Handler<z.ZodType, infer O> ? z.output<O> : never;
