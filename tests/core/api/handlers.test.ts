import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineHandler, joinHandlerMaps } from '../../../src-main/core/api/contract.ts';
import { handlers } from '../../../src-main/core/api/handlers.ts';

const handler = (value: string) => defineHandler({ input: z.object({}), output: z.string(), run: () => value });

describe('the handler map', () => {
  it('joins the domains, every handler under its own name', () => {
    const joined = joinHandlerMaps({ 'a.one': handler('1') }, { 'b.two': handler('2'), 'b.three': handler('3') });
    expect(Object.keys(joined)).toEqual(['a.one', 'b.two', 'b.three']);
    expect(Object.keys(handlers)).toContain('results.preview');
  });

  it('throws on a name two domains both define, instead of keeping the last', () => {
    expect(() => joinHandlerMaps({ 'a.one': handler('1'), 'shared.name': handler('a') }, { 'shared.name': handler('b') })).toThrow(
      'Two handlers are named "shared.name": every handler name must be unique.',
    );
  });
});
