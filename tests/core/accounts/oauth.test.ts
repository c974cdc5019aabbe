import { describe, expect, it } from 'vitest';
import { authorizationCode } from '../../../src-main/core/accounts/oauth.ts';
import type { RaceDeskError } from '../../../src-main/core/errors.ts';

/* What a person pastes back after approving RaceDesk on RunSignUp: the code, or the whole address. */
const refusal = (pasted: string, state?: string) => {
  try {
    authorizationCode(pasted, state);
  } catch (error) {
    return error as RaceDeskError;
  }
  throw new Error(`"${pasted}" was accepted`);
};

describe('authorizationCode', () => {
  it('takes the code alone, trimmed, or out of the redirect address that carries the sign-in\'s state', () => {
    expect(authorizationCode('  a1B2c3-_.~  \n', 's1')).toBe('a1B2c3-_.~');
    expect(authorizationCode('http://127.0.0.1/racedesk/oauth?code=a1B2%2Fc3&state=s1', 's1')).toBe('a1B2/c3');
    expect(authorizationCode('racedesk://oauth?state=s1&code=xyz', 's1')).toBe('xyz');
  });

  it('refuses an address of another sign-in, one without a code, RunSignUp\'s refusal, and text that is no code', () => {
    expect(refusal('http://127.0.0.1/racedesk/oauth?code=xyz&state=other', 's1')).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('another sign-in') });
    expect(refusal('http://127.0.0.1/racedesk/oauth?code=xyz', 's1')).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('another sign-in') });
    expect(refusal('http://127.0.0.1/racedesk/oauth?state=s1', 's1')).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('no code=') });
    expect(refusal('http://127.0.0.1/racedesk/oauth?error=access_denied&state=s1', 's1')).toMatchObject({ code: 'auth_failed', message: expect.stringContaining('(access_denied)') });
    expect(refusal('the code is xyz', 's1')).toMatchObject({ code: 'invalid_input' });
    expect(refusal('   ', 's1')).toMatchObject({ code: 'invalid_input' });
  });
});
