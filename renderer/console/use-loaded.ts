import { useCallback, useEffect, useState } from 'react';
import type { Result } from '../../core/result.js';
import type { ApiError, Background } from './api.js';

/**
 * Load once and on `reload()`; the error, if any, as the console says it. A background reload (the page
 * refreshing by itself) keeps what is shown when it fails.
 */
export function useLoaded<T>(load: (options?: Background) => Promise<Result<T, ApiError>>): {
  value?: T;
  error?: ApiError;
  reload: (options?: Background) => void;
} {
  const [state, setState] = useState<{ value?: T; error?: ApiError }>({});
  const reload = useCallback(
    (options?: Background) => {
      void load(options).then((answer) => {
        if (answer.ok) setState({ value: answer.value });
        else if (!options?.background) setState({ error: answer.error });
      });
    },
    [load],
  );
  useEffect(() => {
    reload();
  }, [reload]);
  return { ...state, reload };
}
