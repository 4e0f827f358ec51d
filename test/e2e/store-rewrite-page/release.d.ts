/** 0.2.0's kiosk database (test/compat/releases.ts), aliased by the test's build: what the page uses of it. */
declare module 'cunban-release-kiosk-database' {
  export function openKioskDatabase(options: { name: string }): Promise<{
    readonly cases: { insert(doc: Record<string, unknown>): Promise<unknown> };
    readonly files: unknown;
    close(): Promise<unknown>;
  }>;
}

/** 0.2.0's materials files: attach a scan to a case. */
declare module 'cunban-release-files' {
  export function attachFile(files: unknown, caseNumber: string, materialId: string, bytes: Uint8Array<ArrayBuffer>): Promise<{ ok: boolean }>;
}
