import { describe, expect, it } from 'vitest';
import { HubRequestError } from '../../../renderer/data/hub-fetch.js';
import { deriveStatus, initialSyncState } from '../../../renderer/data/sync-state.js';

const facts = { pendingOutbound: 2, refused: [] };
const refused = { ...facts, refused: [{ id: 'x', reason: 'r', at: '2026-11-26T00:00:00.000Z' }] };

describe('the sync status', () => {
  it.each([
    ['nothing known yet', facts, true, undefined, 'connecting'],
    ['the last request worked', facts, true, 'ok', 'online'],
    ['the browser is offline', facts, false, 'ok', 'offline'],
    ['the hub did not answer', facts, true, new HubRequestError(0, 'hub_unreachable', 'x'), 'hubUnreachable'],
    ['the hub’s store is down: it answered, with an error', facts, true, new HubRequestError(503, 'store_unavailable', 'x'), 'hubError'],
    ['the hub refused a request as too large', facts, true, new HubRequestError(413, 'too_large', 'x'), 'hubError'],
    ['the credential was revoked, even offline', facts, false, new HubRequestError(401, 'kiosk_revoked', 'x'), 'credentialRevoked'],
    ['documents were refused', refused, true, 'ok', 'hubRefusedDocuments'],
    ['documents were refused but the hub is now unreachable', refused, true, new HubRequestError(0, 'hub_unreachable', 'x'), 'hubUnreachable'],
  ] as const)('%s → %s', (_name, state, online, outcome, status) => {
    expect(deriveStatus(state, online, outcome)).toBe(status);
  });

  it('starts as connecting with nothing pending', () => {
    expect(initialSyncState).toEqual({ status: 'connecting', pendingOutbound: 0, refused: [] });
  });
});
