/** The shell's IPC channel names, on their own so the preload carries no schema library (main checks the schemas). */
export const SHELL_CHANNEL_NAMES = {
  enroll: 'cunban:enrollment:enroll',
  loadEnrollment: 'cunban:enrollment:load',
  saveEnrollment: 'cunban:enrollment:save',
  sealApplicant: 'cunban:keys:seal-applicant',
  sealPhone: 'cunban:keys:seal-phone',
  revealIdNumber: 'cunban:keys:reveal-id-number',
  blindIndex: 'cunban:keys:blind-index',
  storageKey: 'cunban:keys:storage-key',
  clearStoreFiles: 'cunban:storage:clear-store-files',
  print: 'cunban:print',
  hasTechnicianPin: 'cunban:technician:has-pin',
  setTechnicianPin: 'cunban:technician:set-pin',
  checkTechnicianPin: 'cunban:technician:check-pin',
  leaveKioskMode: 'cunban:technician:leave-kiosk-mode',
  reportActivity: 'cunban:activity',
  saveDiagnosticBundle: 'cunban:diagnostics:save',
} as const;
export type ShellChannel = keyof typeof SHELL_CHANNEL_NAMES;
