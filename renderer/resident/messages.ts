/**
 * The screen messages the residents' page carries: its own (`resident.*`) and these few it shares with the
 * counter. Its build leaves every other message out (scripts/build-apps.ts): the counter's and the console's
 * hundreds of sentences in two languages are most of what a phone on a weak signal would otherwise download.
 * `test/tooling/resident-messages.test.ts` checks that every key the page's code names is here.
 */
export const RESIDENT_SHARED_UI_KEYS = ['boot.loading', 'display.elderMode', 'display.otherLanguage', 'receipt.caseNumber', 'error.unexpected'] as const;

export const isResidentUiKey = (key: string) => key.startsWith('resident.') || (RESIDENT_SHARED_UI_KEYS as readonly string[]).includes(key);
