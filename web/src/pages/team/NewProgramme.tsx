// /team/programmes/new: create a programme (system administrators and administrators of an
// earlier programme; the server decides). It starts as a draft; the team page follows.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ApiError, call } from '../../api/client';
import { Alert, Button, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { ProgrammeForm } from './ProgrammeForm';
import { emptyDraft, inputOf, serverErrors, validate } from './programmeDraft';
import type { FieldErrors, ProgrammeDraft } from './programmeDraft';

export function NewProgrammePage() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [draft, setDraft] = useState<ProgrammeDraft>(emptyDraft);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [attempt, setAttempt] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reject = (fields: FieldErrors) => {
    setErrors(fields);
    setAttempt((a) => a + 1);
  };

  const submit = async () => {
    const found = validate(draft, true, t);
    if (Object.keys(found).length > 0) return reject(found);
    setBusy(true);
    setErrors({});
    setError(null);
    try {
      const r = await call('post', '/api/v1/programmes', { body: inputOf(draft) });
      navigate(`/team/programmes/${r.data.id}`, { state: { created: true } });
    } catch (e) {
      const fields = e instanceof ApiError ? serverErrors(e) : {};
      if (Object.keys(fields).length > 0) reject(fields);
      else if (e instanceof ApiError && e.status === 403) setError(t('manage.noPermission'));
      else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        <Link to="/team">{t('team.back')}</Link>
      </p>
      <h1>{t('manage.newTitle')}</h1>
      <p>{t('manage.newIntro')}</p>
      <ProgrammeForm draft={draft} onChange={setDraft} errors={errors}
        onClearErrors={(which) => setErrors((old) => Object.fromEntries(Object.entries(old).filter(([f]) => !which(f))))} attempt={attempt} state={null}
        onSubmit={() => void submit()}>
        {Object.keys(errors).length > 0 && <Alert kind="error">{t('manage.problems')}</Alert>}
        {error && <Alert kind="error">{error}</Alert>}
        <div className="card-actions">
          <Button type="submit" busy={busy}>{t('manage.create')}</Button>
          <Link className="btn btn-secondary" to="/team">{t('manage.cancel')}</Link>
        </div>
      </ProgrammeForm>
    </>
  );
}
