/**
 * Who is on the other end of a request. Behind a reverse proxy or load balancer the socket's address is
 * the proxy's: limits keyed on it would lock out the whole county at once. `CUNBAN_TRUST_PROXY` names
 * the proxies to believe, and `proxy-addr` walks `X-Forwarded-For` through them (Express's rule);
 * without it the headers are ignored, because anyone can send them.
 */
import type { IncomingMessage } from 'node:http';
import proxyAddr from 'proxy-addr';

/** Hops (a whole number) or addresses and subnets (`10.0.0.0/8`, `loopback`, `uniquelocal`). */
export type TrustProxy = number | readonly string[];

export interface ClientOf {
  /** The client's address: the socket's, or the nearest untrusted one in `X-Forwarded-For`. */
  address(req: IncomingMessage): string;
  /** Whether the client reached us over TLS: our own, or a trusted proxy's `X-Forwarded-Proto: https`. */
  secure(req: IncomingMessage): boolean;
}

/** A compiled trust rule, or the `proxy-addr` error for a setting it cannot read. */
export function compileTrust(trust: TrustProxy | undefined): ((address: string, hop: number) => boolean) | Error {
  if (trust === undefined) return () => false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  try {
    return proxyAddr.compile([...trust]);
  } catch (error) {
    return error instanceof Error ? error : new Error(String(error));
  }
}

export function clientOf(trust: TrustProxy | undefined): ClientOf {
  const compiled = compileTrust(trust);
  if (compiled instanceof Error) throw compiled;
  const trusted = (req: IncomingMessage) => compiled(req.socket.remoteAddress ?? '', 0);
  return {
    address: (req) => (req.socket.remoteAddress ? proxyAddr(req, compiled) : 'unknown'),
    secure(req) {
      if ('encrypted' in req.socket && req.socket.encrypted === true) return true;
      const forwarded = req.headers['x-forwarded-proto'];
      return trusted(req) && typeof forwarded === 'string' && forwarded.split(',')[0]?.trim() === 'https';
    },
  };
}
