/**
 * A TCP proxy standing for the village's broadband line, between a kiosk and the hub. It counts the bytes
 * each way (what a benchmark calls "bytes on the wire"), can shape them to a bandwidth and a round trip
 * (a 1 Mbit/s line with 300 ms of latency), can cut every connection after a given number of bytes
 * (a link lost at a random point of a request or a reply), and can stand for a reverse proxy that cuts a
 * request whose answer stays silent too long (`readTimeoutMs`, nginx's `proxy_read_timeout`).
 */
import { createServer, connect, type Socket } from 'node:net';

export interface LinkShape {
  /** The line's speed each way, shared by all connections, as a village's one line is. */
  readonly bitsPerSecond: number;
  readonly roundTripMs: number;
}

export interface LinkProxy {
  /** `http://127.0.0.1:<port>`: the hub's address as the kiosk sees it through the line. */
  readonly origin: string;
  /** Bytes carried so far: `up` from the kiosk to the hub, `down` back. */
  readonly bytes: { up: number; down: number };
  /** When the first byte since the last `resetCounts` crossed (performance.now()), if one has. */
  readonly firstByteAt: () => number | undefined;
  /** TCP connections opened through the line so far. */
  readonly connections: () => number;
  resetCounts(): void;
  /** Cut every open connection once `bytes` more bytes have crossed (either way). */
  armCut(bytes: number): void;
  /** Whether a cut is armed and has not happened yet. */
  cutPending(): boolean;
  /** Cuts made so far (by `armCut` or the read timeout). */
  cuts(): number;
  close(): Promise<void>;
}

/** Stop reading from a sender while this much is queued on the line, as a real link's buffers fill. */
const QUEUE_HIGH_WATER = 256 * 1024;

/** One direction of the line: a serial queue that releases each chunk when the bandwidth and latency allow. */
function lineDirection(shape: LinkShape | undefined) {
  let freeAt = 0;
  return (bytes: number): number => {
    if (!shape) return 0;
    const now = performance.now();
    freeAt = Math.max(now, freeAt) + (bytes * 8 * 1000) / shape.bitsPerSecond;
    return freeAt + shape.roundTripMs / 2 - now;
  };
}

export async function startLinkProxy(
  target: { host: string; port: number },
  shape?: LinkShape,
  options: { readonly readTimeoutMs?: number } = {},
): Promise<LinkProxy> {
  const bytes = { up: 0, down: 0 };
  const open = new Set<Socket>();
  let opened = 0;
  let firstByte: number | undefined;
  let cut: { remaining: number } | undefined;
  let cutsMade = 0;
  const delayUp = lineDirection(shape);
  const delayDown = lineDirection(shape);

  const cutNow = () => {
    for (const socket of open) socket.destroy();
    open.clear();
  };

  /** Carry `from` → `to` through one direction of the line. */
  const carry = (from: Socket, to: Socket, direction: 'up' | 'down') => {
    const delay = direction === 'up' ? delayUp : delayDown;
    let queued = 0;
    from.on('data', (chunk: Buffer) => {
      firstByte ??= performance.now();
      bytes[direction] += chunk.length;
      if (cut) {
        cut.remaining -= chunk.length;
        if (cut.remaining <= 0) {
          cut = undefined;
          cutsMade += 1;
          cutNow();
          return;
        }
      }
      const wait = delay(chunk.length);
      if (wait <= 0) {
        to.write(chunk);
        return;
      }
      queued += chunk.length;
      if (queued > QUEUE_HIGH_WATER) from.pause();
      setTimeout(() => {
        queued -= chunk.length;
        if (!to.destroyed) to.write(chunk);
        if (queued <= QUEUE_HIGH_WATER && from.isPaused()) from.resume();
      }, wait);
    });
    // A half-close travels after the data queued before it.
    from.on('end', () => {
      setTimeout(() => to.end(), shape ? Math.max(0, delay(0)) : 0);
    });
  };

  const server = createServer((client) => {
    opened += 1;
    const upstream = connect(target.port, target.host);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
      socket.on('close', () => {
        open.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    carry(client, upstream, 'up');
    carry(upstream, client, 'down');
    // A proxy gives up on an upstream that has sent nothing for this long, and drops the kiosk's request.
    if (options.readTimeoutMs !== undefined) {
      upstream.setTimeout(options.readTimeoutMs, () => {
        cutsMade += 1;
        client.destroy();
        upstream.destroy();
      });
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    origin: `http://127.0.0.1:${String(port)}`,
    bytes,
    connections: () => opened,
    firstByteAt: () => firstByte,
    resetCounts() {
      bytes.up = 0;
      bytes.down = 0;
      opened = 0;
      firstByte = undefined;
    },
    armCut(count) {
      cut = { remaining: count };
    },
    cutPending: () => cut !== undefined,
    cuts: () => cutsMade,
    async close() {
      cutNow();
      await new Promise((closed) => server.close(closed));
    },
  };
}
