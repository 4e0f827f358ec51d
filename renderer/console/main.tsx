/** The review console's entry: served by the hub at /console/, talking to the same hub. */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/screens.css';
import { reviewApi } from './api.js';
import { ConsoleRoot } from './console-root.js';

const container = document.getElementById('root');
if (container) {
  createRoot(container).render(
    <StrictMode>
      <ConsoleRoot api={reviewApi('')} preferences={window.localStorage} />
    </StrictMode>,
  );
}
