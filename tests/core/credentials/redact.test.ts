import { describe, expect, it } from 'vitest';
import { redactError, redactSecrets, secretForms } from '../../../src-main/core/credentials/redact.ts';
import { sha1Hex } from '../../../src-main/core/providers/chronotrack/client.ts';
import { RaceDeskError } from '../../../src-main/core/errors.ts';

describe('secret redaction', () => {
  const chronotrack = { client_id: 'ct-client-77', username: 'timer@example.com', password: 'pä ss+word/1' };
  const forms = secretForms(chronotrack);

  it('masks a ChronoTrack password as sent (the SHA-1 of user_pass, the Basic header) and as typed or URL-encoded', () => {
    const basic = Buffer.from(`${chronotrack.username}:${chronotrack.password}`).toString('base64');
    const echoed = [
      `GET /api/event?client_id=${chronotrack.client_id}&user_id=${encodeURIComponent(chronotrack.username)}&user_pass=${sha1Hex(chronotrack.password)}`,
      `authorization: Basic ${basic}`,
      `form: password=${new URLSearchParams({ p: chronotrack.password }).toString().slice(2)}`,
      `typed: ${chronotrack.password}`,
    ].join('\n');
    expect(redactSecrets(echoed, forms)).toBe(
      ['GET /api/event?client_id=***&user_id=***&user_pass=***', 'authorization: Basic ***', 'form: password=***', 'typed: ***'].join('\n'),
    );
  });

  it('keeps the code of a RaceDeskError and masks its message and stack', () => {
    const clean = redactError(new RaceDeskError('provider_error', `ChronoTrack sent "client_id=${chronotrack.client_id}"`), forms) as RaceDeskError;
    expect(clean).toBeInstanceOf(RaceDeskError);
    expect(clean.code).toBe('provider_error');
    expect(clean.message).toBe('ChronoTrack sent "client_id=***"');
    expect(clean.stack).not.toContain(chronotrack.client_id);
  });

  it('leaves a message alone when the account has no secret in it, and ignores values too short to mask', () => {
    expect(redactSecrets('RunSignUp answered HTTP 500 for the race list.', forms)).toBe('RunSignUp answered HTTP 500 for the race list.');
    expect(redactSecrets('a b c', secretForms({ pin: 'b' }))).toBe('a b c');
  });
});
