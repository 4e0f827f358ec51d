/** The shell's IPC channel names, on their own so the preload carries no schema library (main checks the schemas). */
export const SHELL_CHANNEL_NAMES = {
  loadEnrollment: 'cunban:enrollment:load',
  saveEnrollment: 'cunban:enrollment:save',
  print: 'cunban:print',
  hasTechnicianPin: 'cunban:technician:has-pin',
  setTechnicianPin: 'cunban:technician:set-pin',
  checkTechnicianPin: 'cunban:technician:check-pin',
  leaveKioskMode: 'cunban:technician:leave-kiosk-mode',
  reportActivity: 'cunban:activity',
  saveDiagnosticBundle: 'cunban:diagnostics:save',
} as const;
export type ShellChannel = keyof typeof SHELL_CHANNEL_NAMES;
