// The tandem's term and its end (issue 7, docs/api/routes.md "Ending"): until when it runs, the
// meetings held against the programme's target, "Mark as complete" (the second partner's mark
// completes it) and "End early" with an optional reason for the programme team only.
import { useRef, useState } from 'react';
import { call } from '../../api/client';
import type { Tandem } from '../../api/client';
import { Alert, Button, TextArea, useErrorText } from '../../components/ui';
import { useI18n, type Language } from '../../i18n';
import { ConfirmDialog } from '../participant/shared';

/** The tandem with its ending fields (null until they happen; absent from servers before them). */
export type EndingTandem = Tandem;

export const MAX_REASON_LENGTH = 2000;

/** The programme's meeting target, when the reader may see the programme. */
export interface MeetingTarget {
  min: number;
  max: number;
}

/** A day without the time, in the reader's language. */
export function formatDay(language: Language, ms: number): string {
  return new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', { dateStyle: 'long' }).format(new Date(ms));
}

/** When the tandem ended: `ended_at`, else the latest completion mark (older servers). */
export function endedAt(t: EndingTandem): number | null {
  if (t.ended_at) return t.ended_at;
  return Math.max(t.mentor_completed_at ?? 0, t.mentee_completed_at ?? 0) || null;
}

/** The caller's and the partner's completion marks. */
export function completionMarks(t: EndingTandem, me: number | null | undefined) {
  const iAmMentor = t.mentor.id === me;
  return {
    mine: (iAmMentor ? t.mentor_completed_at : t.mentee_completed_at) ?? null,
    partner: (iAmMentor ? t.mentee_completed_at : t.mentor_completed_at) ?? null,
  };
}

export function TermSection({
  tandem,
  me,
  partnerName,
  held,
  target,
  onChange,
}: {
  tandem: EndingTandem;
  me: number | null | undefined;
  partnerName: string;
  /** Meetings held; null while unknown (the workspace is not open yet). */
  held: number | null;
  target: MeetingTarget | null;
  onChange: (t: EndingTandem) => void;
}) {
  const { t, language } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [dialogError, setDialogError] = useState<string | null>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  // A server without the ending routes sends no `ends_at` at all (not even null): no actions then.
  const active = tandem.state === 'active' && tandem.ends_at !== undefined;
  const { mine, partner } = completionMarks(tandem, me);

  const complete = async () => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const r = await call('post', '/api/v1/tandems/{id}/complete', { path: { id: tandem.id } });
      const next = r.data;
      setStatus(next.state === 'completed' ? t('workspace.term.completedNow') : t('workspace.term.waitingNow', { name: partnerName }));
      onChange(next);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const dissolve = async () => {
    setBusy(true);
    setDialogError(null);
    try {
      const text = reason.trim();
      const r = await call('post', '/api/v1/tandems/{id}/dissolve', {
        path: { id: tandem.id },
        body: text ? { reason: text } : {},
      });
      setConfirming(false);
      onChange(r.data);
    } catch (e) {
      setDialogError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const ended = endedAt(tandem);
  return (
    <section className="card ws-section" aria-labelledby="ws-term">
      <h2 id="ws-term" className="card-title">{t('workspace.term.title')}</h2>
      <dl className="pairs ws-term">
        {tandem.activated_at ? (
          <>
            <dt>{t('workspace.term.since')}</dt>
            <dd>{formatDay(language, tandem.activated_at)}</dd>
          </>
        ) : null}
        {active && tandem.ends_at ? (
          <>
            <dt>{t('workspace.term.until')}</dt>
            <dd>{t('workspace.term.untilValue', { date: formatDay(language, tandem.ends_at) })}</dd>
          </>
        ) : null}
        {!active && ended ? (
          <>
            <dt>{t('workspace.term.ended')}</dt>
            <dd>{formatDay(language, ended)}</dd>
          </>
        ) : null}
        {held !== null && (
          <>
            <dt>{t('workspace.term.meetings')}</dt>
            <dd>
              {target
                ? t('workspace.term.meetingsValue', { held, min: target.min, max: target.max })
                : t('workspace.term.meetingsPlain', { held })}
            </dd>
          </>
        )}
      </dl>
      <div role="status" className={status ? 'alert alert-success' : 'ws-live-empty'}>
        {status}
      </div>
      {error && <Alert kind="error">{error}</Alert>}
      {active && (
        <>
          <p>{t('workspace.term.completeIntro')}</p>
          {mine ? (
            <p className="ws-waiting">{t('workspace.term.markedByMe', { date: formatDay(language, mine), name: partnerName })}</p>
          ) : (
            <>
              {partner && <p className="ws-waiting">{t('workspace.term.markedByPartner', { name: partnerName })}</p>}
              <div className="ws-buttons">
                <Button busy={busy} onClick={() => void complete()}>
                  {t('workspace.term.complete')}
                </Button>
              </div>
            </>
          )}
          <p>{t('workspace.term.endEarlyIntro')}</p>
          <div className="ws-buttons">
            <button
              ref={endButton}
              type="button"
              className="btn btn-danger"
              disabled={busy}
              onClick={() => {
                setDialogError(null);
                setConfirming(true);
              }}
            >
              {t('workspace.term.endEarly')}
            </button>
          </div>
        </>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('workspace.term.confirmTitle', { name: partnerName })}
        confirmLabel={t('workspace.term.confirm')}
        cancelLabel={t('workspace.term.cancel')}
        busy={busy}
        onConfirm={() => void dissolve()}
        onCancel={() => setConfirming(false)}
        returnFocus={active ? endButton : undefined}
      >
        <p>{t('workspace.term.confirmExplain', { name: partnerName })}</p>
        <TextArea
          label={t('workspace.term.reason')}
          hint={t('workspace.term.reasonHint', { name: partnerName })}
          value={reason}
          rows={4}
          maxLength={MAX_REASON_LENGTH}
          onChange={(e) => setReason(e.target.value)}
        />
        {dialogError && <Alert kind="error">{dialogError}</Alert>}
      </ConfirmDialog>
    </section>
  );
}
