import { useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError } from '../api/client';
import type { Session } from '../api/client';
import { Alert, Button, Card, TextInput, useErrorText } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { takeFragmentToken } from './tokens';

/** The texts of one e-mailed-token page. */
export interface TokenPasswordTexts {
  title: MessageKey;
  intro: MessageKey;
  password: MessageKey;
  submit: MessageKey;
  /** Shown when the server answers 401: the token expired or was used. */
  invalid: MessageKey;
  /** Shown when the page's fragment holds no token. */
  noToken: MessageKey;
}

/**
 * A page opened from an e-mailed one-time token (`#<fragment>=TOKEN`) that signs the person in,
 * optionally setting a password: the invitation (/welcome) and the password reset
 * (/reset-password). The token leaves the address bar at once (takeFragmentToken); a 401 means
 * expired or used, a 400 is the password policy, shown at the field.
 */
export function TokenPasswordPage({ fragment, texts, passwordRequired, redeem, onSignedIn }: {
  fragment: Parameters<typeof takeFragmentToken>[0];
  texts: TokenPasswordTexts;
  passwordRequired: boolean;
  redeem: (token: string, password: string) => Promise<Session>;
  onSignedIn: () => void;
}) {
  const { t } = useI18n();
  const { signedIn } = useSession();
  const errorText = useErrorText();
  const [token] = useState(() => takeFragmentToken(fragment));
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [passwordError, setPasswordError] = useState<string | undefined>();

  if (!token) {
    return (
      <div className="narrow">
        <h1>{t(texts.title)}</h1>
        <Alert kind="error">{t(texts.noToken)}</Alert>
      </div>
    );
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setPasswordError(undefined);
    try {
      signedIn(await redeem(token, password));
      onSignedIn();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setError(t(texts.invalid));
      else if (err instanceof ApiError && err.status === 400) setPasswordError(err.message);
      else setError(errorText(err));
      setBusy(false);
    }
  };

  return (
    <div className="narrow">
      <h1>{t(texts.title)}</h1>
      <p>{t(texts.intro)}</p>
      {error && <Alert kind="error">{error}</Alert>}
      <Card>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <TextInput
            label={t(texts.password)}
            hint={t('welcome.passwordHint')}
            error={passwordError}
            type="password"
            name="new-password"
            autoComplete="new-password"
            required={passwordRequired}
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
          <Button type="submit" busy={busy}>
            {t(texts.submit)}
          </Button>
        </form>
      </Card>
    </div>
  );
}
