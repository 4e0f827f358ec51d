// A PouchDB kiosk stand-in for protocol tests (the embedded store's own declarations cover pouchdb-core).
declare module 'pouchdb-adapter-memory' {
  const plugin: unknown;
  export default plugin;
}
