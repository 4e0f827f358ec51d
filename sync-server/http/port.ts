/** Whether a TCP port can be listened on here (0, any free port, always can): asked before a hub binds it. */
import { createServer } from 'node:net';

export function portFree(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((answer) => {
    const probe = createServer();
    probe.once('error', () => {
      answer(false);
    });
    probe.listen(port, host, () => {
      probe.close(() => {
        answer(true);
      });
    });
  });
}
