/** The hub's answers to the console as sentences in the reviewer's language. */
import type { useI18n } from '../ui/i18n.js';
import type { ApiError } from './api.js';

/** A hub answer as a sentence: the console's own codes, else the hub's reason. */
export function apiErrorText(t: ReturnType<typeof useI18n>['t'], error: ApiError): string {
  switch (error.code) {
    case 'signIn.wrong':
      return t('console.signInWrong');
    case 'signIn.locked':
      return t('console.signInLocked');
    case 'signIn.throttled':
      return t('console.signInThrottled');
    case 'signIn.busy':
      return t('console.signInBusy');
    case 'console.hubUnreachable':
      return t('console.hubUnreachable');
    case 'unauthorized':
      return t('console.sessionEnded');
    case 'bad_request':
      return t('console.badRequest');
    case 'notice.idNumber':
      return t('notices.idNumber');
    case 'notice.expired':
      return t('notices.expired');
    default:
      return t('console.refused', { reason: error.reason || error.code });
  }
}
