/**
 * Every IPC channel main answers goes through `validatedHandler`: the sender must be our page's main frame
 * (not an iframe, not another origin), the one argument must pass the channel's zod schema from core, and
 * whatever happens the renderer gets `{ok, value} | {ok: false, error}` — never a thrown Error with a stack.
 */
import type { z } from 'zod';
import { SHELL_CHANNELS, type ShellChannel, type ShellError, type ShellResult } from '../core/api/shell.js';
import { err } from '../core/result.js';
import { isAppUrl } from './app-origin.js';

/** The parts of Electron's IpcMainInvokeEvent the check reads. */
export interface IpcSender {
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

export type ChannelArgument<C extends ShellChannel> = z.infer<(typeof SHELL_CHANNELS)[C]['argument']>;

export function senderAllowed(event: IpcSender): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

export function validatedHandler<C extends ShellChannel, T>(
  channel: C,
  handle: (argument: ChannelArgument<C>) => Promise<ShellResult<T>>,
  log: (message: string) => void = () => undefined,
): (event: IpcSender, argument: unknown) => Promise<ShellResult<T>> {
  const schema: z.ZodType = SHELL_CHANNELS[channel].argument;
  return async (event, argument) => {
    if (!senderAllowed(event)) {
      log(`ipc ${channel}: refused a call from ${event.senderFrame?.url ?? 'a destroyed frame'}`);
      return err<ShellError>({ code: 'shell.forbiddenSender', message: 'Only the kiosk page may call the shell.' });
    }
    const parsed = schema.safeParse(argument);
    if (!parsed.success) {
      return err<ShellError>({ code: 'shell.badRequest', message: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ') });
    }
    try {
      return await handle(parsed.data as ChannelArgument<C>);
    } catch (error) {
      log(`ipc ${channel}: ${error instanceof Error ? error.message : String(error)}`);
      return err<ShellError>({ code: 'shell.failed', message: 'The shell could not do that; see its log.' });
    }
  };
}
