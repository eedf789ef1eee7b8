// Partner feedback (issue 8), when the tandem's programme enables it: each partner writes one
// text to the other; it can be changed until the partner has given theirs, and the partner's
// text appears only once both gave (GET/PUT /tandems/{id}/feedback). The team never reads it.
import { useEffect, useRef, useState } from 'react';
import { ApiError } from '../../api/client';
import { Alert, Button, TextArea, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { reportsApi } from '../reports/api';
import { ifMatchOf, MAX_FEEDBACK } from '../reports/types';
import type { Feedback } from '../reports/types';
import '../../styles/reports.css';

export function PartnerFeedbackSection({ tandemId, partnerName, readOnly, initial }: {
  tandemId: number;
  partnerName: string;
  readOnly: boolean;
  /** For tests: the feedback without a request. */
  initial?: Feedback;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [feedback, setFeedback] = useState<Feedback | null>(initial ?? null);
  const [text, setText] = useState(initial?.mine?.text ?? '');
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [fieldError, setFieldError] = useState<string | undefined>();
  const statusRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (initial) return;
    let live = true;
    reportsApi
      .feedback(tandemId)
      .then((r) => {
        if (!live) return;
        setFeedback(r.data);
        setText(r.data.mine?.text ?? '');
      })
      .catch(() => live && setFeedback(null));
    return () => {
      live = false;
    };
  }, [tandemId, initial]);

  if (!feedback || !feedback.enabled) return null;
  const bothGave = !!feedback.mine && feedback.partner_gave;
  const canEdit = !readOnly && !bothGave;

  const save = async () => {
    setStatus(null);
    setFieldError(undefined);
    if (text.trim() === '') {
      setFieldError(t('reports.feedback.empty'));
      return;
    }
    setBusy(true);
    try {
      const r = await reportsApi.saveFeedback(tandemId, text.trim(), ifMatchOf(feedback.mine?.version));
      setFeedback(r.data);
      setStatus({
        kind: 'success',
        text: r.data.partner_gave ? t('reports.feedback.savedBoth', { name: partnerName }) : t('reports.feedback.saved'),
      });
    } catch (e) {
      if (e instanceof ApiError && e.status === 400) setFieldError(e.fieldError('text') ?? e.message);
      else if (e instanceof ApiError && (e.status === 409 || e.status === 412)) {
        setStatus({ kind: 'error', text: t('reports.feedback.conflict', { name: partnerName }) });
        void reportsApi.feedback(tandemId).then((r) => {
          setFeedback(r.data);
          setText(r.data.mine?.text ?? '');
        }).catch(() => undefined);
      } else setStatus({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
      statusRef.current?.focus();
    }
  };

  return (
    <section className="card ws-section" aria-labelledby="ws-feedback">
      <h2 id="ws-feedback" className="card-title">{t('reports.feedback.title')}</h2>
      <p className="meta">{t('reports.feedback.intro', { name: partnerName })}</p>
      {canEdit ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <TextArea
            label={t('reports.feedback.mine', { name: partnerName })}
            hint={t('reports.feedback.hint', { used: text.length, max: MAX_FEEDBACK })}
            error={fieldError}
            value={text}
            maxLength={MAX_FEEDBACK}
            rows={5}
            onChange={(e) => setText(e.target.value)}
          />
          <div className="card-actions">
            <Button type="submit" busy={busy}>
              {feedback.mine ? t('reports.feedback.update') : t('reports.feedback.send')}
            </Button>
          </div>
        </form>
      ) : (
        feedback.mine && (
          <div className="fb-text">
            <h3 className="fb-title">{t('reports.feedback.yours')}</h3>
            <p>{feedback.mine.text}</p>
          </div>
        )
      )}
      <div ref={statusRef} tabIndex={-1} className="fb-status">
        {status && <Alert kind={status.kind}>{status.text}</Alert>}
      </div>
      {feedback.mine && !feedback.partner_gave && (
        <p className="fb-waiting" role="status">{t('reports.feedback.waiting', { name: partnerName })}</p>
      )}
      {!feedback.mine && feedback.partner_gave && (
        <p className="fb-waiting">{t('reports.feedback.partnerGave', { name: partnerName })}</p>
      )}
      {bothGave && (
        <div className="fb-text fb-partner">
          <h3 className="fb-title">{t('reports.feedback.theirs', { name: partnerName })}</h3>
          <p>{feedback.partner ?? ''}</p>
        </div>
      )}
    </section>
  );
}
