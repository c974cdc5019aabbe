import { describe, expect, it } from 'vitest';
import { KeychainViaMain } from '../../src-main/core-host/keychain-via-main.ts';
import type { FromHost } from '../../src-main/core-host/protocol.ts';

// The host's end of the keychain requests; the host driven by a main process over a real port: host.test.ts.
function keychainWithSentLog() {
  const sent: FromHost[] = [];
  const keychain = new KeychainViaMain((message) => sent.push(message));
  const lastId = () => (sent.at(-1) as Extract<FromHost, { type: 'keychain' }>).id;
  return { keychain, sent, lastId };
}

describe('keychain requests to the main process', () => {
  it("asks main for each operation and gives back its answer, or its error's code and sentence", async () => {
    const { keychain, sent, lastId } = keychainWithSentLog();
    const store = keychain.store();
    const read = store.get('hub');
    expect(sent).toEqual([{ type: 'keychain', id: 1, request: { operation: 'get', account: 'hub' } }]);
    keychain.answer(lastId(), { ok: true, value: { password: 'p' } });
    expect(await read).toEqual({ password: 'p' });

    const write = store.set('hub', { password: 'q' });
    expect(sent.at(-1)).toEqual({ type: 'keychain', id: 2, request: { operation: 'set', account: 'hub', secret: { password: 'q' } } });
    keychain.answer(lastId(), { ok: false, error: { code: 'keychain_unavailable', message: 'No OS keychain available.' } });
    await expect(write).rejects.toMatchObject({ name: 'RaceDeskError', code: 'keychain_unavailable', message: 'No OS keychain available.' });
  });

  it('ends every waiting request once main is gone, and asks nothing more of it', async () => {
    const { keychain, sent } = keychainWithSentLog();
    const store = keychain.store();
    const waiting = [store.get('hub'), store.delete('runsignup:main')];
    keychain.close();
    for (const request of waiting) await expect(request).rejects.toMatchObject({ code: 'keychain_unavailable', message: expect.stringContaining("main process has gone") });
    await expect(store.get('hub')).rejects.toMatchObject({ code: 'keychain_unavailable' });
    expect(sent).toHaveLength(2);
  });

  it('gives up on a request main does not answer, and an answer after that changes nothing', async () => {
    const { keychain, lastId } = keychainWithSentLog();
    const read = keychain.store(20).get('hub');
    await expect(read).rejects.toMatchObject({ code: 'keychain_unavailable', message: expect.stringContaining('did not answer within 0.02 s') });
    keychain.answer(lastId(), { ok: true, value: { password: 'late' } });
    const next = keychain.store().get('hub');
    keychain.answer(lastId(), { ok: true, value: null });
    expect(await next).toBeNull();
  });
});
