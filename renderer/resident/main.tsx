/** The residents' page entry: served by the hub at /r/, talking to the same hub. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/screens.css';
import './resident.css';
import { residentApi } from './api.js';
import { ResidentRoot } from './resident-root.js';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <ResidentRoot api={residentApi(window.location.href)} preferences={window.localStorage} fragment={window.location.hash} />
    </StrictMode>,
  );
}
