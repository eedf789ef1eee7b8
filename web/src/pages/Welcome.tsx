import { useState } from 'react';
import type { FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import { Alert, Button, Card, TextInput, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { nextPath, takeFragmentToken } from './tokens';

/** The invitation link's page (/welcome?next=/programmes/3#invitation=TOKEN). */
export function WelcomePage() {
  const { t } = useI18n();
  const { signedIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [token] = useState(() => takeFragmentToken('invitation'));
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | undefined>();

  if (!token) {
    return (
      <div className="narrow">
        <h1>{t('welcome.title')}</h1>
        <Alert kind="error">{t('welcome.noToken')}</Alert>
      </div>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setPasswordError(undefined);
    try {
      const r = await call('post', '/api/v1/invitations/redeem', {
        body: password ? { token, password } : { token },
      });
      signedIn(r.data);
      navigate(nextPath(location.search), { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('welcome.invalid'));
      else if (err instanceof ApiError && err.status === 400) setPasswordError(err.message);
      else setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>{t('welcome.title')}</h1>
      <p>{t('welcome.intro')}</p>
      {error && <Alert kind="error">{error}</Alert>}
      <Card>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <TextInput
            label={t('welcome.password')}
            hint={t('welcome.passwordHint')}
            error={passwordError}
            type="password"
            name="new-password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            {t('welcome.submit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}
