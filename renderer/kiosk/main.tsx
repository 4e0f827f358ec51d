/** The kiosk's entry: inside the Cunban shell (Electron) its bridge hosts the counter; in a browser, the browser does. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { KioskRoot } from './root.js';
import { electronShell, shellBridge } from './electron-shell.js';
import { browserShell } from './shell.js';
import { quietVendorBanners } from './vendor-banners.js';
import '../ui/screens.css';

quietVendorBanners(console);
const bridge = shellBridge();
const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <KioskRoot shell={bridge ? electronShell(bridge, window.localStorage) : browserShell()} />
    </StrictMode>,
  );
}
