/**
 * A full garbage collection, on demand, in a test process started without `--expose-gc`: what a busy
 * hub does at a moment no test chooses. (V8 lets the flag be set at run time; `gc` then exists in a new context.)
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

export function collectGarbage(): void {
  gc();
}
