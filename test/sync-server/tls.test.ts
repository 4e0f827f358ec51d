/** The hub's own HTTPS (issue 15 §2): given a certificate and key it speaks only TLS, and says so to kiosks. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { addReviewer } from '../../sync-server/users.js';
import { httpsGet, selfSignedCertificate, type TestCertificate } from '../support/tls.js';
import { startTestHub, VILLAGE_A, type TestHub } from './hub-harness.js';

const dir = mkdtempSync(join(tmpdir(), 'cunban-tls-'));
let certificate: TestCertificate;
let hub: TestHub;

beforeAll(async () => {
  certificate = selfSignedCertificate(dir);
  hub = await startTestHub({ config: { tls: { cert: certificate.cert, key: certificate.key } } });
}, 60_000);

afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a hub given a certificate', () => {
  it('answers over https', async () => {
    expect(hub.base).toMatch(/^https:\/\/127\.0\.0\.1:/);
    const health = await httpsGet(`${hub.base}/api/health`, certificate.ca);
    expect(health.status).toBe(200);
  });

  it('does not answer plain http on the same port', async () => {
    await expect(fetch(hub.base.replace('https:', 'http:') + '/api/health')).rejects.toThrow();
  });

  it('hands enrolling kiosks https sync URLs, and marks the reviewer session cookie Secure', async () => {
    const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    const enrolled = await httpsGet(
      `${hub.base}/api/enroll`,
      certificate.ca,
      { 'content-type': 'application/json' },
      'POST',
      JSON.stringify({ code: issued.value.code }),
    );
    expect(enrolled.status).toBe(201);
    const kiosk = enrollResponseSchema.parse(JSON.parse(enrolled.bytes.toString('utf8')));
    expect(kiosk.villageSyncUrl).toMatch(/^https:\/\//);

    await addReviewer(hub.hub.store, { name: 'tls-reviewer', role: 'county', password: 'tls-reviewer-secret' }, new Date());
    const signedIn = await httpsGet(
      `${hub.base}/api/session`,
      certificate.ca,
      {},
      'POST',
      JSON.stringify({ name: 'tls-reviewer', password: 'tls-reviewer-secret' }),
    );
    expect(signedIn.status).toBe(200);
    expect(String(signedIn.headers['set-cookie'])).toMatch(/; Secure$/);
  }, 60_000);
});
