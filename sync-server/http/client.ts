/**
 * Who is on the other end of a request. Behind a reverse proxy or load balancer the socket's address is
 * the proxy's: limits keyed on it would lock out the whole county at once. `CUNBAN_TRUST_PROXY` names
 * the proxies to believe, and `proxy-addr` walks `X-Forwarded-For` through them (Express's rule);
 * without it the headers are ignored, because anyone can send them.
 */
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyAddr from 'proxy-addr';

/** Hops (a whole number) or addresses and subnets (`10.0.0.0/8`, `loopback`, `uniquelocal`). */
export type TrustProxy = number | readonly string[];

export interface ClientOf {
  /** The client, as limits key it: the socket's address, or the nearest untrusted one in `X-Forwarded-For` (`clientKey`). */
  address(req: IncomingMessage): string;
  /** Whether the client is this machine (loopback), by the same rule. */
  isLocal(req: IncomingMessage): boolean;
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

/**
 * One key per client, however its address is written: `::ffff:10.1.2.3` is `10.1.2.3`, and an IPv6 client
 * is its /64 (one household or hall holds a whole /64, and would otherwise have endless addresses). What
 * does not parse as an address (`010.5.5.5`, `10.5.5.5:1234` from a proxy that adds ports) is not believed:
 * `fallback`, the nearest address that is known, is used instead.
 */
export const clientKey = (address: string, fallback: string): string => keyOf(strictAddress(address, fallback));

function keyOf(parsed: ipaddr.IPv4 | ipaddr.IPv6 | undefined): string {
  if (!parsed) return 'unknown';
  if (parsed.kind() === 'ipv4') return parsed.toString();
  return `${(parsed as ipaddr.IPv6).toNormalizedString().split(':').slice(0, 4).join(':')}::/64`;
}

/** `address` read strictly (an IPv4-mapped one as IPv4), else `fallback` read so, else nothing. */
function strictAddress(address: string, fallback: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  // IPv4 only as four decimal parts (not `0177.0.0.1`, `2130706433`); IPv6 as IPv6, its dotted tail likewise.
  const dotted = /[.]/.test(address) ? address.replace(/^.*:/, '') : undefined;
  const strict =
    ipaddr.isValid(address) && (address.includes(':') || dotted !== undefined) && (dotted === undefined || ipaddr.IPv4.isValidFourPartDecimal(dotted));
  if (strict) return ipaddr.process(address);
  return address === fallback ? undefined : strictAddress(fallback, fallback);
}

export function clientOf(trust: TrustProxy | undefined): ClientOf {
  const compiled = compileTrust(trust);
  if (compiled instanceof Error) throw compiled;
  const trusted = (req: IncomingMessage) => compiled(req.socket.remoteAddress ?? '', 0);
  // The nearest untrusted address, read strictly: `0177.0.0.1` or `2130706433` from a proxy is no address.
  const resolved = (req: IncomingMessage) => (req.socket.remoteAddress ? strictAddress(proxyAddr(req, compiled), req.socket.remoteAddress) : undefined);
  return {
    address: (req) => keyOf(resolved(req)),
    isLocal: (req) => resolved(req)?.range() === 'loopback',
    secure(req) {
      if ('encrypted' in req.socket && req.socket.encrypted === true) return true;
      const forwarded = req.headers['x-forwarded-proto'];
      return trusted(req) && typeof forwarded === 'string' && forwarded.split(',')[0]?.trim() === 'https';
    },
  };
}
