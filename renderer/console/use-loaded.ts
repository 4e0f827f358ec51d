import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../core/result.js';
import type { ApiError } from './api.js';

/** Load once and on `reload()`; the error, if any, as the console says it. */
export function useLoaded<T>(load: () => Promise<Result<T, ApiError>>): { value?: T; error?: ApiError; reload: () => void } {
  const [state, setState] = useState<{ value?: T; error?: ApiError }>({});
  const reload = useCallback(() => {
    void load().then((answer) => {
      setState(answer.ok ? { value: answer.value } : { error: answer.error });
    });
  }, [load]);
  useEffect(reload, [reload]);
  return { ...state, reload };
}
