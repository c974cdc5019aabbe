import { ZodError } from 'zod';
import { RaceDeskError, toErrorPayload } from '../errors.ts';
import type { Core } from '../core.ts';
import type { ApiResult } from './contract.ts';
import { handlers, type HandlerName } from './handlers.ts';

/**
 * The single entry point every shell calls. Input is validated before the handler runs and
 * output after, so a shell can trust both; every failure becomes {ok: false, error}.
 */
export async function dispatch(core: Core, name: string, rawInput: unknown): Promise<ApiResult<unknown>> {
  try {
    if (!Object.hasOwn(handlers, name)) {
      throw new RaceDeskError('not_found', `Unknown API call "${name}".`);
    }
    const handler = handlers[name as HandlerName];
    const input = parseOrExplain(handler.input, rawInput ?? {}, `Invalid input for ${name}`);
    const value = await handler.run(input as never, core);
    return { ok: true, value: parseOrExplain(handler.output, value, `Invalid output from ${name}`) };
  } catch (error) {
    if (!(error instanceof RaceDeskError)) core.log.error(`API call ${name} failed`, error);
    return { ok: false, error: toErrorPayload(error) };
  }
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
