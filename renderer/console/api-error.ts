/** The hub's answers to the console as sentences in the reviewer's language. */
import type { useI18n } from '../ui/i18n.js';
import type { ApiError } from './api.js';

/**
 * A hub answer as a sentence in the reviewer's language. The hub's own reason is English for technicians:
 * it never reaches the screen; an answer this console does not know is named by its code.
 */
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
    case 'reveal.reasonRequired':
      return t('console.revealReasonRequired');
    case 'csrf':
      return t('console.sessionEnded');
    case 'forbidden':
      return t('console.forbidden');
    case 'not_found':
    case 'case.notFound':
      return t('console.notFound');
    case 'store_unavailable':
      return t('console.storeUnavailable');
    case 'files.incomplete':
      return t('console.fileUploading');
    case 'appeal.refused':
      return t('console.appeals.refused');
    case 'appeal.text.phone':
      return t('console.appeals.textPhone');
    case 'appeal.text.idNumber':
      return t('console.appeals.textIdNumber');
    case 'appeal.answer':
    case 'appeal.text.empty':
    case 'appeal.text.tooLong':
      return t('console.appeals.answerInvalid');
    case 'appeal.anonymous':
      return t('console.appeals.anonymousNoPhone');
    case 'publication.townDecides':
      return t('console.publications.townDecides');
    case 'publication.refused':
      return t('console.publications.refused');
    case 'publication.reasonRequired':
      return t('console.publications.reasonRequired');
    default:
      // A rule of core/ refused the decision (409 case.*): the case changed since the page read it.
      if (error.status === 409 && error.code.startsWith('case.')) return t('console.caseChanged');
      return t('console.refused', { code: error.code });
  }
}
