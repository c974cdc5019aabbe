import { ZodError } from 'zod';
import { RaceDeskError, toErrorPayload } from '../errors.ts';
import type { Core } from '../core.ts';
import type { ApiResult } from './contract.ts';
import { handlers, type HandlerName } from './handlers.ts';
import { handlerAccess, localCaller, mayCall, refusal, signedCalls, type Caller } from './access.ts';

/**
 * The single entry point every shell calls. The caller's rights are checked first (api/access.ts),
 * input is validated before the handler runs and output after, so a shell can trust both; every
 * failure becomes {ok: false, error}.
 */
export async function dispatch(core: Core, name: string, rawInput: unknown, caller: Caller = localCaller): Promise<ApiResult<unknown>> {
  try {
    if (!Object.hasOwn(handlers, name)) {
      throw new RaceDeskError('not_found', `Unknown API call "${name}".`);
    }
    const access = handlerAccess[name as HandlerName];
    if (!mayCall(caller, access)) throw new RaceDeskError('forbidden', refusal(caller, access));
    const handler = handlers[name as HandlerName];
    const input = parseOrExplain(handler.input, signedBy(caller, name as HandlerName, rawInput ?? {}), `Invalid input for ${name}`);
    const value = await handler.run(input as never, core, caller);
    return { ok: true, value: parseOrExplain(handler.output, value, `Invalid output from ${name}`) };
  } catch (error) {
    if (!(error instanceof RaceDeskError)) core.log.error(`API call ${name} failed`, error);
    return { ok: false, error: toErrorPayload(error) };
  }
}

/*
 * A joined device signs what it records with the name it joined under: whatever stationName it
 * sends is replaced, so no device can act in another table's name.
 */
function signedBy(caller: Caller, name: HandlerName, input: unknown): unknown {
  if (caller.kind !== 'device' || !signedCalls.has(name) || input === null || typeof input !== 'object' || Array.isArray(input)) return input;
  return { ...input, stationName: caller.deviceName };
}

function parseOrExplain(schema: { parse(value: unknown): unknown }, value: unknown, context: string): unknown {
  try {
    return schema.parse(value);
  } catch (error) {
    if (error instanceof ZodError) {
      const problems = error.issues
        .map((issue) => `${issue.path.length ? issue.path.join('.') : 'input'}: ${issue.message}`)
        .join('; ');
      throw new RaceDeskError(context.startsWith('Invalid input') ? 'invalid_input' : 'internal', `${context}: ${problems}`);
    }
    throw error;
  }
}
