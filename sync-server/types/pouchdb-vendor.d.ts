// The embedded store's packages ship no types; these are the few entry points the hub uses.
declare module 'pouchdb-core' {
  interface PouchDBConstructor {
    plugin(plugin: unknown): PouchDBConstructor;
    defaults(options: { prefix: string }): PouchDBConstructor;
  }
  const PouchDB: PouchDBConstructor;
  export default PouchDB;
}
declare module 'pouchdb-adapter-leveldb' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}
declare module 'pouchdb-mapreduce' {
  const plugin: unknown;
  export default plugin;
}
declare module 'express-pouchdb' {
  import type { IncomingMessage, ServerResponse } from 'node:http';
  type App = ((req: IncomingMessage, res: ServerResponse) => void) & {
    /** Functions run on each database when it is first opened, in the order registered. */
    readonly dbWrapper: { registerWrapper(wrapper: (name: string, db: never, next: () => void) => void): void };
  };
  function expressPouchDB(PouchDB: unknown, options: { configPath: string; logPath: string; mode: 'fullCouchDB' }): App;
  export default expressPouchDB;
}
