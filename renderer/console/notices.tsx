/**
 * Notices (通知公告) for the village counters: the county publishes to every village or one town's, a town
 * to its own; each withdraws what is theirs. A full ID number is caught here before sending, in the
 * reviewer's language, and refused by the hub in any case.
 */
import { useCallback, useMemo, useState, type SyntheticEvent } from 'react';
import type { NoticeView, PublishNoticeRequest } from '../../core/api/notices.js';
import type { ReviewerView } from '../../core/api/review.js';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import { parseDivisionCode } from '../../core/divisions/code.js';
import { formatDate } from '../ui/format.js';
import { Alert, Field } from '../ui/form.js';
import { DateField } from '../ui/date-field.js';
import { useI18n } from '../ui/i18n.js';
import type { ReviewApi } from './api.js';
import { apiErrorText } from './api-error.js';
import { useLoaded } from './use-loaded.js';

export function Notices({ api, reviewer }: { readonly api: ReviewApi; readonly reviewer: ReviewerView }) {
  const { t, locale, pick } = useI18n();
  const notices = useLoaded(useCallback(() => api.notices(), [api]));
  const area = useLoaded(useCallback(() => api.area(), [api]));
  const towns = useMemo(() => {
    const byCode = new Map<string, string>();
    for (const village of area.value?.villages ?? []) {
      const town = parseDivisionCode(village.code12)?.townCode12;
      if (town) byCode.set(town, village.townName);
    }
    return [...byCode];
  }, [area.value]);
  const [draft, setDraft] = useState({ title: '', body: '', titleEn: '', bodyEn: '', expiresOn: '', town: '' });
  const [problem, setProblem] = useState<string>();
  const [published, setPublished] = useState<string>();
  const set = (field: keyof typeof draft) => (value: string) => {
    setDraft({ ...draft, [field]: value });
  };
  const townName = (code: string | undefined) => (code ? (towns.find(([town]) => town === code)?.[1] ?? code) : t('notices.everyVillage'));

  const publish = async (event: SyntheticEvent) => {
    event.preventDefault();
    setPublished(undefined);
    if (!draft.title.trim() || !draft.body.trim()) {
      setProblem(t('notices.required'));
      return;
    }
    if (findPlaintextIdNumbers(draft).length > 0) {
      setProblem(t('notices.idNumber'));
      return;
    }
    const request: PublishNoticeRequest = {
      title: { zh: draft.title, ...(draft.titleEn.trim() ? { en: draft.titleEn } : {}) },
      body: { zh: draft.body, ...(draft.bodyEn.trim() ? { en: draft.bodyEn } : {}) },
      ...(draft.expiresOn ? { expiresOn: draft.expiresOn } : {}),
      ...(draft.town ? { town: draft.town } : {}),
    };
    const answer = await api.publishNotice(request);
    if (!answer.ok) {
      setProblem(apiErrorText(t, answer.error));
      return;
    }
    setProblem(undefined);
    setPublished(t('notices.published', { title: answer.value.title.zh, to: townName(answer.value.town) }));
    setDraft({ title: '', body: '', titleEn: '', bodyEn: '', expiresOn: '', town: '' });
    notices.reload();
  };
  const withdraw = async (notice: NoticeView) => {
    const answer = await api.withdrawNotice(notice.id);
    if (answer.ok) notices.reload();
    else setProblem(apiErrorText(t, answer.error));
  };
  const mayWithdraw = (notice: NoticeView) => reviewer.role === 'county' || (notice.town !== undefined && notice.town === reviewer.town);

  return (
    <section>
      <h1>{t('notices.title')}</h1>
      <form className="notice-form" onSubmit={(event) => void publish(event)} noValidate>
        <Field label={t('notices.noticeTitle')} value={draft.title} onChange={set('title')} maxLength={100} />
        <label className="field">
          {t('notices.body')}
          <textarea
            value={draft.body}
            maxLength={2000}
            rows={4}
            onChange={(event) => {
              set('body')(event.target.value);
            }}
          />
        </label>
        <Field label={t('notices.titleEn')} value={draft.titleEn} onChange={set('titleEn')} maxLength={200} hint={t('notices.englishHint')} />
        <label className="field">
          {t('notices.bodyEn')}
          <textarea
            value={draft.bodyEn}
            maxLength={4000}
            rows={2}
            onChange={(event) => {
              set('bodyEn')(event.target.value);
            }}
          />
        </label>
        <DateField label={t('notices.expiresOn')} value={draft.expiresOn} onChange={set('expiresOn')} />
        {reviewer.role === 'county' ? (
          <label className="field">
            {t('notices.audience')}
            <select
              value={draft.town}
              onChange={(event) => {
                set('town')(event.target.value);
              }}
            >
              <option value="">{t('notices.everyVillage')}</option>
              {towns.map(([code, name]) => (
                <option key={code} value={code}>
                  {name}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <p className="hint">{t('notices.townOnly')}</p>
        )}
        {problem ? <Alert>{problem}</Alert> : null}
        {published ? <Alert tone="success">{published}</Alert> : null}
        <button type="submit" className="primary">
          {t('notices.publish')}
        </button>
      </form>
      {notices.error ? <Alert>{apiErrorText(t, notices.error)}</Alert> : null}
      {notices.value?.length === 0 ? <p className="empty">{t('notices.none')}</p> : null}
      <ul className="notices">
        {notices.value?.map((notice) => (
          <li key={notice.id} className="notice" data-notice={notice.id}>
            <h2>{pick(notice.title)}</h2>
            <p className="notice-date">
              {t('notices.meta', { on: formatDate(locale, notice.publishedOn), by: notice.publishedBy ?? '—', to: townName(notice.town) })}
              {notice.expiresOn ? ` · ${t('notices.until', { on: formatDate(locale, notice.expiresOn) })}` : ''}
            </p>
            <p>{pick(notice.body)}</p>
            {mayWithdraw(notice) ? (
              <button type="button" onClick={() => void withdraw(notice)}>
                {t('notices.withdraw')}
              </button>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
