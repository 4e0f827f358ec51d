/**
 * A wait's deadline survives garbage collection. Node 20's `AbortSignal.any([s, AbortSignal.timeout(ms)])`
 * does not (nodejs/node#57736): after a collection its timeout never fired, and a long poll with
 * heartbeats went on for ever.
 */
import { describe, expect, it } from 'vitest';
import { deadline } from '../../sync-server/gateway/deadline.js';
import { collectGarbage } from '../support/collect-garbage.js';

/** How long until `signal` ends, collecting garbage all the while; undefined if not within `ms`. */
async function endsWithin(signal: AbortSignal, ms: number): Promise<number | undefined> {
  const started = Date.now();
  while (!signal.aborted && Date.now() - started < ms) {
    collectGarbage();
    await new Promise((wait) => setTimeout(wait, 20));
  }
  return signal.aborted ? Date.now() - started : undefined;
}

describe('a deadline', () => {
  it('ends after its time though the garbage is collected while it waits, with a TimeoutError', async () => {
    const waiting = deadline(new AbortController().signal, 200);
    const took = await endsWithin(waiting.signal, 3000);
    expect(took).toBeGreaterThanOrEqual(150);
    expect((waiting.signal.reason as DOMException).name).toBe('TimeoutError');
  });

  it('ends at once with the signal it follows, with that signal’s reason', async () => {
    const client = new AbortController();
    const waiting = deadline(client.signal, 60_000);
    client.abort(new Error('client gone'));
    expect(await endsWithin(waiting.signal, 100)).toBeDefined();
    expect(waiting.signal.reason).toEqual(new Error('client gone'));
  });

  it('begins ended when the signal it follows has ended', () => {
    const client = new AbortController();
    client.abort();
    expect(deadline(client.signal, 60_000).signal.aborted).toBe(true);
  });

  it('once cleared, neither times out nor follows its signal', async () => {
    const client = new AbortController();
    const waiting = deadline(client.signal, 100);
    waiting.clear();
    expect(await endsWithin(waiting.signal, 300)).toBeUndefined();
    client.abort();
    expect(waiting.signal.aborted).toBe(false);
  });
});
