/** 0.2.0's kiosk database (test/compat/releases.ts), aliased by the test's build: what the page uses of it. */
declare module 'cunban-release-kiosk-database' {
  export function openKioskDatabase(options: { name: string }): Promise<{
    readonly cases: { insert(doc: Record<string, unknown>): Promise<unknown> };
    close(): Promise<unknown>;
  }>;
}
