/**
 * The acceptance receipt (受理回执) handed to the resident: what was accepted, what is still missing,
 * when a decision is due, and how to follow it from a phone — a QR code opening the hub's residents' page
 * at this case, and the lookup code for residents who gave no phone. Only the masked ID number is printed.
 * Printing goes through the shell (the default printer in the kiosk shell, the browser's dialog — with
 * "Save as PDF" — otherwise).
 */
import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { hubBaseOf } from '../../core/api/enrollment.js';
import { foldCase } from '../../core/case/fold.js';
import { formatLookupCode } from '../../core/case/lookup-code.js';
import { residentPageUrl } from '../../core/resident/lookup.js';
import { formatDate, formatInstant } from '../ui/format.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import { dueOf } from './case-filters.js';
import { useSession } from './session.js';

export function Receipt({ caseNumber, replaces }: { readonly caseNumber: string; readonly replaces?: string }) {
  const { cases, data, county, shell, go } = useSession();
  const { t, locale, pick } = useI18n();
  const [qr, setQr] = useState<string>();
  const [printProblem, setPrintProblem] = useState<string>();
  const [savedPdf, setSavedPdf] = useState<string>();
  const pageUrl = residentPageUrl(hubBaseOf(data.enrollment.villageSyncUrl), caseNumber);
  useEffect(() => {
    void QRCode.toString(pageUrl, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }).then((svg) => {
      setQr(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    });
  }, [pageUrl]);
  const doc = cases?.find((candidate) => candidate.caseNumber === caseNumber);
  if (!doc) return cases === undefined ? <p role="status">{t('boot.loading')}</p> : <Alert>{t('case.notFound')}</Alert>;
  const view = foldCase(doc.events);
  if (!view.ok) return <Alert>{t('case.history.noCreatedEvent')}</Alert>;
  const { state } = view.value;
  const created = doc.events[0];
  const named = (mark: 'received' | 'missing') => state.item.materials.filter((m) => state.materials[m.id] === mark).map((m) => pick(m.name));
  const received = named('received');
  const missing = named('missing');
  const due = dueOf(doc, county.calendar);

  return (
    <section className="receipt-screen">
      <div className="actions no-print">
        <button
          type="button"
          className="primary"
          onClick={() => {
            setPrintProblem(undefined);
            setSavedPdf(undefined);
            shell.print().then(
              (outcome) => {
                setSavedPdf(outcome.savedPdf);
              },
              (failure: unknown) => {
                setPrintProblem(failure instanceof Error ? failure.message : String(failure));
              },
            );
          }}
        >
          {t('receipt.print')}
        </button>
        <button
          type="button"
          onClick={() => {
            go({ name: 'newCase' });
          }}
        >
          {t('receipt.next')}
        </button>
        <button
          type="button"
          onClick={() => {
            go({ name: 'case', caseNumber });
          }}
        >
          {t('receipt.openCase')}
        </button>
        <p className="hint">{t('receipt.pdfHint')}</p>
        {replaces ? <Alert tone="info">{t('receipt.replaces', { old: replaces })}</Alert> : null}
        {printProblem ? <Alert>{t('receipt.printFailed', { reason: printProblem })}</Alert> : null}
        {savedPdf ? <Alert tone="info">{t('receipt.savedPdf', { path: savedPdf })}</Alert> : null}
      </div>
      <article className="receipt" aria-label={t('receipt.title')}>
        <header>
          <h1>{t('receipt.title')}</h1>
          {replaces ? <p className="replaces">{t('receipt.replacesPrinted', { old: replaces })}</p> : null}
          <p>
            {data.enrollment.townName} {data.enrollment.villageName} {t('receipt.hall')}
          </p>
        </header>
        <div className="receipt-body">
          <dl>
            <dt>{t('receipt.caseNumber')}</dt>
            <dd className="case-number" data-testid="receipt-case-number">
              {caseNumber}
            </dd>
            <dt>{t('receipt.item')}</dt>
            <dd>
              {pick(state.item.name)} <span className="item-code">({state.item.code})</span>
            </dd>
            <dt>{t('receipt.applicant')}</dt>
            <dd>
              {state.applicant.name} {state.applicant.idNumberMasked}
            </dd>
            {state.proxy ? (
              <>
                <dt>{t('receipt.proxy')}</dt>
                <dd>
                  {state.proxy.name} {state.proxy.idNumberMasked} ({state.proxy.relation})
                </dd>
              </>
            ) : null}
            <dt>{t('receipt.received')}</dt>
            <dd>{received.length > 0 ? received.join('、') : t('receipt.none')}</dd>
            <dt>{t('receipt.missing')}</dt>
            <dd className={missing.length > 0 ? 'missing' : undefined}>{missing.length > 0 ? missing.join('、') : t('receipt.none')}</dd>
            <dt>{t('receipt.acceptedOn')}</dt>
            <dd>{formatInstant(locale, state.acceptedAt)}</dd>
            <dt>{t('receipt.dueOn')}</dt>
            <dd>
              {state.status === 'completed'
                ? t('receipt.completed')
                : state.status === 'awaitingMaterials'
                  ? t('newCase.due.stopped')
                  : due
                    ? `${formatDate(locale, due.dueOn)}${due.provisional ? ` ${t('receipt.provisional')}` : ''}`
                    : t('newCase.due.noLimit')}
            </dd>
            <dt>{t('receipt.status')}</dt>
            <dd>{t(`status.${state.status}`)}</dd>
            <dt>{t('receipt.clerk')}</dt>
            <dd>{created?.actor.name}</dd>
            {state.lookupCode ? (
              <>
                <dt>{t('receipt.lookupCode')}</dt>
                <dd className="lookup-code" data-testid="receipt-lookup-code">
                  {formatLookupCode(state.lookupCode)}
                </dd>
              </>
            ) : null}
          </dl>
          {qr ? <img className="qr" src={qr} alt={t('receipt.qr')} width={120} height={120} /> : null}
        </div>
        <footer>{t('receipt.footer')}</footer>
      </article>
    </section>
  );
}
