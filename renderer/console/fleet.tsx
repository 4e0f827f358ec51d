/**
 * The console's other views: the kiosks of the area (last contact, open refusals, enrollment codes,
 * revocation by the county), the documents the gateway refused (resolved with a note), and, for
 * county reviewers, the log of every reveal of a full ID number.
 */
import { useCallback, useState, type SyntheticEvent } from 'react';
import type { AreaVillage, KioskView, QuarantineView } from '../../core/api/fleet.js';
import type { ReviewerView } from '../../core/api/review.js';
import { formatInstant } from '../ui/format.js';
import { ConfirmButton } from '../ui/confirm.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ApiError, AuditEntry, ReviewApi } from './api.js';
import { apiErrorText } from './api-error.js';
import { useLoaded } from './use-loaded.js';

export function Fleet({ api, reviewer }: { readonly api: ReviewApi; readonly reviewer: ReviewerView }) {
  const { t, locale } = useI18n();
  const kiosks = useLoaded(useCallback(() => api.kiosks(), [api]));
  const area = useLoaded(useCallback(() => api.area(), [api]));
  const [village, setVillage] = useState('');
  const [issued, setIssued] = useState<string>();
  const [problem, setProblem] = useState<ApiError>();
  const villageName = (code: string) => area.value?.villages.find((v: AreaVillage) => v.code12 === code)?.name ?? code;
  const issue = async (event: SyntheticEvent) => {
    event.preventDefault();
    const answer = await api.issueCode(village);
    if (answer.ok)
      setIssued(t('fleet.issued', { village: answer.value.villageName, code: answer.value.code, until: formatInstant(locale, answer.value.expiresAt) }));
    else setProblem(answer.error);
  };
  const revoke = async (kioskId: string) => {
    const answer = await api.revoke(kioskId);
    if (answer.ok) kiosks.reload();
    else setProblem(answer.error);
  };
  const when = (at: string | undefined) => (at ? formatInstant(locale, at) : '—');
  const shown = kiosks.error ?? problem;
  return (
    <section>
      <h1>{t('fleet.title')}</h1>
      {shown ? <Alert>{apiErrorText(t, shown)}</Alert> : null}
      <form className="filters" onSubmit={(event) => void issue(event)}>
        <label className="field">
          {t('fleet.village')}
          <select
            value={village}
            onChange={(event) => {
              setVillage(event.target.value);
            }}
          >
            <option value="">—</option>
            {area.value?.villages.map((v) => (
              <option key={v.code12} value={v.code12}>
                {v.townName} {v.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="primary" disabled={!village}>
          {t('fleet.issue')}
        </button>
      </form>
      {issued ? <Alert tone="success">{issued}</Alert> : null}
      {kiosks.value?.length === 0 ? <p className="empty">{t('fleet.none')}</p> : null}
      {kiosks.value && kiosks.value.length > 0 ? (
        <div className="table-scroll">
          <table className="cases">
            <thead>
              <tr>
                <th>{t('fleet.kiosk')}</th>
                <th>{t('fleet.village')}</th>
                <th>{t('fleet.lastSeen')}</th>
                <th>{t('fleet.lastPush')}</th>
                <th>{t('fleet.lastPull')}</th>
                <th>{t('fleet.pending')}</th>
                <th>{t('fleet.refused')}</th>
                <th>{t('fleet.version')}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {kiosks.value.map((kiosk: KioskView) => (
                <tr key={kiosk.kioskId} data-kiosk={kiosk.kioskId}>
                  <td>{kiosk.kioskId}</td>
                  <td>{villageName(kiosk.village)}</td>
                  <td>{when(kiosk.lastSeenAt)}</td>
                  <td>{when(kiosk.lastPushAt)}</td>
                  <td>{when(kiosk.lastPullAt)}</td>
                  <td title={kiosk.reported ? t('fleet.reportedAt', { at: formatInstant(locale, kiosk.reported.at) }) : undefined}>
                    {kiosk.reported ? t('fleet.pendingValue', { cases: kiosk.reported.pendingCases, files: kiosk.reported.pendingFiles }) : '—'}
                  </td>
                  <td className={kiosk.refused > 0 ? 'overdue-flag' : undefined}>{kiosk.refused}</td>
                  <td className={kiosk.updateRequired ? 'overdue-flag' : undefined}>
                    {kiosk.appVersion ?? '—'}
                    {kiosk.updateRequired ? t('fleet.updateRequired', { minimum: kiosk.updateRequired.minimum }) : null}
                  </td>
                  <td>
                    {kiosk.revokedAt ? t('fleet.revokedAt', { at: formatInstant(locale, kiosk.revokedAt) }) : null}
                    {!kiosk.revokedAt && reviewer.role === 'county' ? (
                      <ConfirmButton action={t('fleet.revoke')} onConfirm={() => void revoke(kiosk.kioskId)} />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

export function Quarantine({ api }: { readonly api: ReviewApi }) {
  const { t, locale } = useI18n();
  const entries = useLoaded(useCallback(() => api.quarantine(), [api]));
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<ApiError>();
  const resolve = async (entry: QuarantineView) => {
    const answer = await api.resolve(entry.id, notes[entry.id] ?? '');
    if (answer.ok) entries.reload();
    else setProblem(answer.error);
  };
  const shown = entries.error ?? problem;
  return (
    <section>
      <h1>{t('quarantine.title')}</h1>
      <p className="hint">{t('quarantine.intro')}</p>
      {shown ? <Alert>{apiErrorText(t, shown)}</Alert> : null}
      {entries.value?.length === 0 ? <p className="empty">{t('quarantine.none')}</p> : null}
      <ul className="quarantine">
        {entries.value?.map((entry) => (
          <li key={entry.id} data-quarantine={entry.id}>
            <p>
              <strong>{entry.docId}</strong> · {entry.kioskId} · {formatInstant(locale, entry.at)}
            </p>
            {entry.code === 'case.clash' ? <p className="overdue-flag">{t('quarantine.clash')}</p> : null}
            <p lang="en">{entry.reason}</p>
            {entry.resolvedAt ? (
              <p className="resolved">
                {t('quarantine.resolved', { by: entry.resolvedBy ?? '', at: formatInstant(locale, entry.resolvedAt), note: entry.note ?? '' })}
              </p>
            ) : (
              <div className="filters">
                <label className="field grow">
                  {t('quarantine.note')}
                  <input
                    value={notes[entry.id] ?? ''}
                    onChange={(event) => {
                      setNotes({ ...notes, [entry.id]: event.target.value });
                    }}
                  />
                </label>
                <button type="button" onClick={() => void resolve(entry)}>
                  {t('quarantine.resolve')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

export function AuditLog({ api }: { readonly api: ReviewApi }) {
  const { t, locale } = useI18n();
  /** What an entry is about: a case's ID number, an appeal's phone, or a publication the town decided. */
  const auditSubject = (entry: AuditEntry) => {
    if (entry.type === 'publication')
      return t(entry.action === 'returned' ? 'console.publications.auditReturned' : 'console.publications.auditApproved', { title: entry.title ?? '' });
    return entry.caseNumber ?? (entry.appeal ? t('console.appeals.auditPhone', { code: entry.appeal }) : '');
  };
  const entries = useLoaded(useCallback(() => api.audit(), [api]));
  return (
    <section>
      <h1>{t('audit.title')}</h1>
      {entries.error ? <Alert>{apiErrorText(t, entries.error)}</Alert> : null}
      {entries.value?.length === 0 ? <p className="empty">{t('audit.none')}</p> : null}
      {entries.value && entries.value.length > 0 ? (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('audit.at')}</th>
              <th>{t('audit.reviewer')}</th>
              <th>{t('receipt.caseNumber')}</th>
              <th>{t('audit.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {entries.value.map((entry: AuditEntry) => (
              <tr key={`${entry.at}-${entry.caseNumber ?? entry.appeal ?? ''}-${entry.reviewer}`}>
                <td>{formatInstant(locale, entry.at)}</td>
                <td>{entry.reviewer}</td>
                <td>{auditSubject(entry)}</td>
                <td>{entry.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
