import { useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { Navigate, useLocation, useNavigate } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import { Alert, Button, Card, Loading, TextInput, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { nextPath, takeFragmentToken } from './tokens';

export function SignInPage() {
  const { t } = useI18n();
  const { account, signedIn } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const target = nextPath(location.search);

  const [linkToken] = useState(() => takeFragmentToken('link'));
  const [redeeming, setRedeeming] = useState(linkToken !== null);
  const [linkError, setLinkError] = useState<string | null>(null);
  const started = useRef(false);
  useEffect(() => {
    if (!linkToken || started.current) return;
    started.current = true;
    call('post', '/api/v1/sign-in-links/redeem', { body: { token: linkToken } })
      .then((r) => {
        signedIn(r.data);
        navigate(target, { replace: true });
      })
      .catch((e: unknown) => {
        setLinkError(e instanceof ApiError && e.status === 401 ? t('signIn.linkInvalid') : errorText(e));
        setRedeeming(false);
      });
  }, [linkToken, signedIn, navigate, target, t, errorText]);

  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [linkEmail, setLinkEmail] = useState('');
  const [linkBusy, setLinkBusy] = useState(false);
  const [linkSent, setLinkSent] = useState(false);

  if (redeeming) return <Loading />;
  if (account && !linkToken) return <Navigate to={target} replace />;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await call('post', '/api/v1/session', { body: { email, password } });
      signedIn(r.data);
      navigate(target, { replace: true });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t('signIn.failed'));
      else if (err instanceof ApiError && err.status === 429) setError(t('signIn.throttled'));
      else setError(errorText(err));
      setBusy(false);
    }
  };

  const requestLink = async (e: FormEvent) => {
    e.preventDefault();
    setLinkBusy(true);
    setError(null);
    try {
      await call('post', '/api/v1/sign-in-links', { body: { email: linkEmail } });
      setLinkSent(true);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setLinkBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>{t('signIn.title')}</h1>
      <p>{t('signIn.intro')}</p>
      {linkError && <Alert kind="error">{linkError}</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      <Card>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <TextInput
            label={t('signIn.email')}
            type="email"
            name="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <TextInput
            label={t('signIn.password')}
            type="password"
            name="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            {t('signIn.submit')}
          </Button>
        </form>
      </Card>
      <Card title={t('signIn.linkTitle')}>
        <p>{t('signIn.linkIntro')}</p>
        {linkSent ? (
          <Alert kind="success">{t('signIn.linkSent')}</Alert>
        ) : (
          <form onSubmit={(e) => void requestLink(e)} noValidate>
            <TextInput
              label={t('signIn.email')}
              type="email"
              name="link-email"
              autoComplete="email"
              required
              value={linkEmail}
              onChange={(e) => setLinkEmail(e.target.value)}
            />
            <Button type="submit" variant="secondary" busy={linkBusy}>
              {t('signIn.linkSubmit')}
            </Button>
          </form>
        )}
      </Card>
    </div>
  );
}
