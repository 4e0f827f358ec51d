/** PouchDB in Node, the baseline of the replication benchmarks: its memory adapter, and the hub over HTTP. */
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';

export interface NodePouch {
  replicate: {
    from(source: NodePouch): Promise<{ ok: boolean; docs_written: number }>;
    to(target: NodePouch): Promise<{ ok: boolean; docs_written: number }>;
  };
  bulkDocs(docs: readonly object[]): Promise<unknown[]>;
  info(): Promise<{ doc_count: number }>;
  destroy(): Promise<void>;
}

// Plugins are registered once per process: a second registration throws.
const Pouch = PouchDB.plugin(memory).plugin(httpAdapter).plugin(replication) as unknown as (new (name: string, options: object) => NodePouch) & {
  fetch(url: string, options: { headers: Headers }): Promise<Response>;
};

/** An empty in-memory PouchDB. */
export const localPouch = (name: string): NodePouch => new Pouch(name, { adapter: 'memory' });

/** The hub's village database as PouchDB reaches it, with the kiosk's credential. */
export function remotePouch(url: string, authorization: string): NodePouch {
  return new Pouch(url, {
    adapter: 'http',
    skip_setup: true,
    fetch: (target: string, options: { headers: Headers }) => {
      options.headers.set('authorization', authorization);
      return Pouch.fetch(target, options);
    },
  });
}

/** Run PouchDB's replication; it rejects with plain objects, so say what it was. */
export async function replicating<T>(replicate: Promise<T>): Promise<T> {
  try {
    return await replicate;
  } catch (error) {
    throw new Error(`PouchDB replication failed: ${JSON.stringify(error)}`, { cause: error });
  }
}
