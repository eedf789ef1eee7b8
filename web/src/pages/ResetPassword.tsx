import { useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import { Alert, Button, Card, TextInput, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { takeFragmentToken } from './tokens';

/** The password reset link's page (/reset-password#token=TOKEN): choose a new password. */
export function ResetPasswordPage() {
  const { t } = useI18n();
  const { signedIn } = useSession();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [token] = useState(() => takeFragmentToken('token'));
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | undefined>();

  if (!token) {
    return (
      <div className="narrow">
        <h1>{t('reset.title')}</h1>
        <Alert kind="error">{t('reset.noToken')}</Alert>
      </div>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setPasswordError(undefined);
    try {
      const r = await call('post', '/api/v1/password-resets/redeem', { body: { token, password } });
      signedIn(r.data);
      navigate('/programmes', { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('reset.invalid'));
      else if (err instanceof ApiError && err.status === 400) setPasswordError(err.message);
      else setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>{t('reset.title')}</h1>
      <p>{t('reset.intro')}</p>
      {error && <Alert kind="error">{error}</Alert>}
      <Card>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <TextInput
            label={t('reset.password')}
            hint={t('welcome.passwordHint')}
            error={passwordError}
            type="password"
            name="new-password"
            autoComplete="new-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            {t('reset.submit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
