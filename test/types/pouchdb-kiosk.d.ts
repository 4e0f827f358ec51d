// A PouchDB kiosk stand-in for protocol tests (the embedded store's own declarations cover pouchdb-core).
declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
// PouchDB as shipped for browsers: the baseline of the replication benchmarks in Chromium.
declare module 'pouchdb-browser' {
  export interface BrowserPouch {
    replicate: {
      from(source: BrowserPouch): Promise<{ ok: boolean; docs_written: number }>;
      to(target: BrowserPouch): Promise<{ ok: boolean; docs_written: number }>;
    };
    bulkDocs(docs: readonly object[]): Promise<unknown[]>;
    info(): Promise<{ doc_count: number }>;
    destroy(): Promise<void>;
  }
  interface BrowserPouchConstructor {
    new (
      name: string,
      options?: { skip_setup?: boolean; fetch?: (url: string, options: { headers: Headers; credentials?: RequestCredentials }) => Promise<Response> },
    ): BrowserPouch;
    fetch(url: string, options: { headers: Headers; credentials?: RequestCredentials }): Promise<Response>;
  }
  const PouchDB: BrowserPouchConstructor;
  export default PouchDB;
}
