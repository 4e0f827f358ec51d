import { useEffect, useRef, useState } from 'react';
import type { Observable } from 'rxjs';

/** The latest value of an observable, re-subscribing when it changes identity. */
export function useObservable<T>(source: Observable<T>, initial: T): T {
  const [value, setValue] = useState(initial);
  useEffect(() => {
    const subscription = source.subscribe(setValue);
    return () => {
      subscription.unsubscribe();
    };
  }, [source]);
  return value;
}

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;

/** Calls `onIdle` after `timeoutMs` with no keyboard, pointer or touch activity. */
export function useIdleTimer(timeoutMs: number, onIdle: () => void, enabled: boolean): void {
  const callback = useRef(onIdle);
  callback.current = onIdle;
  useEffect(() => {
    if (!enabled) return undefined;
    let timer = setTimeout(() => {
      callback.current();
    }, timeoutMs);
    const reset = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        callback.current();
      }, timeoutMs);
    };
    for (const type of ACTIVITY_EVENTS) window.addEventListener(type, reset, { passive: true });
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY_EVENTS) window.removeEventListener(type, reset);
    };
  }, [timeoutMs, enabled]);
}
