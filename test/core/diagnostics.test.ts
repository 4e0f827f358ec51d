import { describe, expect, it } from 'vitest';
import { diagnosticBundle, type DiagnosticFacts } from '../../core/diagnostics.js';

const facts: DiagnosticFacts = {
  generatedAt: '2026-11-26T08:30:05.123Z',
  kiosk: { kioskId: 'kiosk-422822100202-01', village: '422822100202', villageName: '雀儿笼村', hub: 'https://hub.example/' },
  versions: { app: '0.1.0', catalog: 1, caseSchema: 1, minimum: '0.2.0', updateRequired: true, unreadableDocuments: 0 },
  hub: { reachable: true, latencyMs: 42, status: 200, hubVersion: '0.1.0', storeSchema: 4 },
  sync: {
    status: 'hubRefusedDocuments',
    pendingCases: 2,
    pendingFiles: 1,
    refused: [{ id: '422822100202-20261126-01-001-6', reason: 'field applicant contains 422822198001010015 in plain text', at: '2026-11-26T08:00:00.000Z' }],
    recentErrors: [{ status: 0, code: 'hub_unreachable', reason: 'fetch failed; resident 13912345678 waiting', at: '2026-11-26T07:00:00.000Z' }],
  },
  storage: { usageBytes: 1_000_000, quotaBytes: 100_000_000, level: 'ok' },
  casesByStatus: { accepted: 3, forwarded: 2 },
  secretsProtectedAtRest: true,
};

describe('the diagnostic bundle', () => {
  it('carries the facts, named for the kiosk and the time', () => {
    const bundle = diagnosticBundle(facts);
    expect(bundle.fileName).toBe('cunban-diagnostics-kiosk-422822100202-01-20261126083005.json');
    const parsed = JSON.parse(bundle.content) as Record<string, unknown>;
    expect(parsed).toMatchObject({ kind: 'cunban.diagnostics', version: 1, hub: { latencyMs: 42 }, sync: { pendingCases: 2 }, casesByStatus: { accepted: 3 } });
  });

  it('masks any ID or mobile number a reason happens to quote', () => {
    const { content } = diagnosticBundle(facts);
    expect(content).not.toContain('422822198001010015');
    expect(content).toContain('422822********0015');
    expect(content).not.toContain('13912345678');
    expect(content).toContain('139****5678');
  });
});
