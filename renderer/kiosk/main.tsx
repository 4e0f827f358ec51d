/** Browser-mode entry of the kiosk (Electron's preload supplies its own shell in issue 7). */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { KioskRoot } from './root.js';
import { browserShell } from './shell.js';
import '../ui/screens.css';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <KioskRoot shell={browserShell()} />
    </StrictMode>,
  );
}
