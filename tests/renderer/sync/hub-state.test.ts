import { describe, expect, it } from 'vitest';
import { hubState } from '../../../src-renderer/src/pages/sync/hub-state.ts';

const ok = { at: '2026-05-02T08:00:00.000Z', lastError: null, lastErrorAt: null };

describe('hub state for people', () => {
  it('is "not set up" without an address', () => {
    expect(hubState({ url: null, lastPush: ok, autoPush: null }).label).toBe('Not set up');
  });

  it('is online after a good push, offline when a failure is newer than it', () => {
    expect(hubState({ url: 'postgres://hub', lastPush: ok, autoPush: null })).toMatchObject({ label: 'Online', problem: null });
    const failed = { ...ok, lastError: 'The hub could not be reached.', lastErrorAt: '2026-05-02T09:00:00.000Z' };
    expect(hubState({ url: 'postgres://hub', lastPush: failed, autoPush: null })).toEqual({ label: 'Offline', color: 'red', problem: 'The hub could not be reached.' });
  });

  it('is offline while auto-push keeps failing, with its reason', () => {
    const state = hubState({ url: 'postgres://hub', lastPush: ok, autoPush: { consecutiveFailures: 2, lastError: 'Connection refused.', nextAttemptAt: null } });
    expect(state).toMatchObject({ label: 'Offline', problem: 'Connection refused.' });
  });

  it('says when nothing was pushed yet', () => {
    expect(hubState({ url: 'postgres://hub', lastPush: { at: null, lastError: null, lastErrorAt: null }, autoPush: null }).label).toBe('Not pushed yet');
  });
});
