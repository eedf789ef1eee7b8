// /team/programmes/{id}/settings: change a programme's settings (PUT with If-Match). What the
// server keeps fixed once enrolment opened is read-only; a stale version (412) or a state that
// moved on (409) is said plainly, with a button that loads the current settings.
import { useCallback, useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, call } from '../../api/client';
import type { Programme } from '../../api/client';
import { Alert, Button, Loading, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { ProgrammeForm } from './ProgrammeForm';
import { draftOf, inputOf, serverErrors, validate } from './programmeDraft';
import type { FieldErrors, ProgrammeDraft } from './programmeDraft';

type Message = { kind: 'error' | 'success'; text: string; conflict?: boolean };

export function ProgrammeSettingsPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t } = useI18n();
  const errorText = useErrorText();
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [draft, setDraft] = useState<ProgrammeDraft | null>(null);
  // The draft as loaded or saved: any other draft has unsaved changes.
  const [saved, setSaved] = useState<ProgrammeDraft | null>(null);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const load = useCallback(async () => {
    const r = await call('get', '/api/v1/programmes/{id}', { path: { id } });
    setProgramme(r.data);
    setEtag(r.etag ?? `"${r.data.version}"`);
    const loaded = draftOf(r.data);
    setDraft(loaded);
    setSaved(loaded);
    setErrors({});
  }, [id]);

  useEffect(() => {
    load().catch((e: unknown) => setLoadError(errorText(e)));
  }, [load, errorText]);

  const reload = async () => {
    setBusy(true);
    try {
      await load();
      setMessage({ kind: 'success', text: t('manage.reloaded') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
    }
  };

  const submit = async () => {
    if (!draft || !programme) return;
    const found = validate(draft, false, t);
    if (Object.keys(found).length > 0) {
      setErrors(found);
      setMessage(null);
      setAttempt((a) => a + 1);
      return;
    }
    setBusy(true);
    setErrors({});
    setMessage(null);
    try {
      const r = await call('put', '/api/v1/programmes/{id}', {
        path: { id }, body: inputOf(draft), ifMatch: etag ?? `"${programme.version}"`,
      });
      setProgramme(r.data);
      setEtag(r.etag ?? `"${r.data.version}"`);
      const stored = draftOf(r.data);
      setDraft(stored);
      setSaved(stored);
      setMessage({ kind: 'success', text: t('manage.saved') });
    } catch (e) {
      const fields = e instanceof ApiError ? serverErrors(e) : {};
      if (Object.keys(fields).length > 0) {
        setErrors(fields);
        setAttempt((a) => a + 1);
      } else if (e instanceof ApiError && (e.status === 409 || e.status === 412)) {
        setMessage({ kind: 'error', text: e.message, conflict: true });
      } else {
        setMessage({ kind: 'error', text: errorText(e) });
      }
    } finally {
      setBusy(false);
    }
  };

  if (loadError && !programme) return <Alert kind="error">{loadError}</Alert>;
  if (!programme || !draft) return <Loading />;
  const closed = programme.state === 'closed';

  return (
    <>
      <p>
        <Link to={`/team/programmes/${id}`}>{t('manage.backToProgramme')}</Link>
      </p>
      <h1>{t('manage.settingsTitle', { name: programme.name })}</h1>
      <ProgrammeForm draft={draft} onChange={(u) => setDraft((d) => (d ? u(d) : d))} errors={errors}
        onClearErrors={(which) => setErrors((old) => Object.fromEntries(Object.entries(old).filter(([f]) => !which(f))))}
        attempt={attempt} state={programme.state} onSubmit={() => void submit()}>
        {Object.keys(errors).length > 0 && <Alert kind="error">{t('manage.problems')}</Alert>}
        {message && (
          <Alert kind={message.kind}>
            {message.conflict ? (
              <>
                <p className="alert-line">{t('manage.conflict')}</p>
                <p className="alert-line">{t('manage.conflictDetail', { detail: message.text })}</p>
              </>
            ) : (
              message.text
            )}
          </Alert>
        )}
        <div className="card-actions">
          <Button type="submit" busy={busy}>{t('manage.save')}</Button>
          {message?.conflict && (
            <Button variant="secondary" busy={busy} onClick={() => void reload()}>{t('manage.reload')}</Button>
          )}
          <Link className="btn btn-secondary" to={`/team/programmes/${id}`}>
            {closed || draft === saved ? t('manage.toProgramme') : t('manage.cancel')}
          </Link>
        </div>
      </ProgrammeForm>
    </>
  );
}
