// /profile: the signed-in person's own account: display name and language, what they offer for
// the next cohort (participants only), password, their data (download, how to ask for erasure)
// and "sign out everywhere". Every signed-in
// person has it, whatever their role.
import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import type { Profile } from '../api/client';
import { Alert, Button, Card, Loading, Select, TextInput, useErrorText } from '../components/ui';
import { LANGUAGES, useI18n, type Language } from '../i18n';
import { useSession } from '../session';
import { DataRightsCard } from './DataRightsCard';
import { RoleOfferCard } from './participant/RoleOffer';
import '../styles/admin.css';

const MIN_PASSWORD = 12;
const MAX_PASSWORD = 128;

/** Moves the focus to the named input, e.g. after an error was shown at it. */
function focusField(name: string): void {
  window.setTimeout(() => document.querySelector<HTMLInputElement>(`input[name="${name}"]`)?.focus(), 0);
}

/** Code points, as the server counts a password's length. */
function codePoints(text: string): number {
  return [...text].length;
}

export function ProfilePage() {
  const { t } = useI18n();
  const { account, updateAccount, signOut } = useSession();
  const navigate = useNavigate();
  const errorText = useErrorText();
  const [profile, setProfile] = useState<Profile | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const [displayName, setDisplayName] = useState('');
  const [language, setLanguageChoice] = useState<Language>('de');
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [nameError, setNameError] = useState<string | undefined>();

  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [currentError, setCurrentError] = useState<string | undefined>();
  const [nextError, setNextError] = useState<string | undefined>();
  const [passwordBusy, setPasswordBusy] = useState(false);
  const [passwordDone, setPasswordDone] = useState(false);
  const [passwordError, setPasswordError] = useState<string | null>(null);

  const [endingAll, setEndingAll] = useState(false);
  const [endAllError, setEndAllError] = useState<string | null>(null);

  const show = useCallback((p: Profile, tag: string | null) => {
    setProfile(p);
    setEtag(tag ?? `"${p.account.version}"`);
    setDisplayName(p.account.display_name);
    setLanguageChoice(p.account.language);
  }, []);

  const load = useCallback(async () => {
    const r = await call('get', '/api/v1/me');
    show(r.data, r.etag);
  }, [show]);
  useEffect(() => {
    load().catch((e: unknown) => setLoadError(errorText(e)));
  }, [load, errorText]);

  // The header's language switch also changes the account: follow it so that the next save
  // sends the current version instead of failing with 412.
  const sessionVersion = account?.version;
  useEffect(() => {
    if (!profile || sessionVersion === undefined || sessionVersion <= profile.account.version) return;
    call('get', '/api/v1/me')
      .then((r) => {
        setProfile(r.data);
        setEtag(r.etag ?? `"${r.data.account.version}"`);
        setLanguageChoice(r.data.account.language);
      })
      .catch(() => undefined);
  }, [sessionVersion, profile]);

  const saveProfile = async (e: FormEvent) => {
    e.preventDefault();
    if (!profile || !etag) return;
    setSaving(true);
    setSaved(false);
    setSaveError(null);
    setNameError(undefined);
    try {
      const r = await call('put', '/api/v1/me', {
        body: { display_name: displayName.trim(), language },
        ifMatch: etag,
      });
      show(r.data, r.etag);
      updateAccount(r.data.account);
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        await load().catch(() => undefined);
        setSaveError(t('profile.stale'));
      } else if (err instanceof ApiError && err.fieldError('display_name')) {
        setNameError(t('profile.nameTooLong'));
      } else {
        setSaveError(errorText(err));
      }
    } finally {
      setSaving(false);
    }
  };

  const changePassword = async (e: FormEvent) => {
    e.preventDefault();
    setPasswordDone(false);
    setPasswordError(null);
    setCurrentError(undefined);
    const length = codePoints(next);
    if (length < MIN_PASSWORD || length > MAX_PASSWORD) {
      setNextError(t('profile.passwordPolicy'));
      focusField('new-password');
      return;
    }
    setNextError(undefined);
    setPasswordBusy(true);
    try {
      await call('put', '/api/v1/me/password', {
        body: { current_password: current, new_password: next },
      });
      setCurrent('');
      setNext('');
      setPasswordDone(true);
    } catch (err) {
      const detail = err instanceof ApiError ? (err.problem?.detail ?? '') : '';
      if (err instanceof ApiError && err.status === 400 && detail.startsWith('current_password')) {
        setCurrentError(t('profile.currentWrong'));
        focusField('current-password');
      } else if (err instanceof ApiError && err.status === 400 && /^(new_)?password/.test(detail)) {
        setNextError(`${t('profile.passwordPolicy')} (${detail.replace(/^(new_)?password:\s*/, '')})`);
        focusField('new-password');
      } else if (err instanceof ApiError && err.status === 429) {
        setPasswordError(t('profile.throttled'));
      } else {
        setPasswordError(errorText(err));
      }
    } finally {
      setPasswordBusy(false);
    }
  };

  const endAll = async () => {
    setEndingAll(true);
    setEndAllError(null);
    try {
      await call('post', '/api/v1/session/end-all');
      await signOut();
      navigate('/sign-in', { replace: true });
    } catch (err) {
      setEndAllError(errorText(err));
      setEndingAll(false);
    }
  };

  if (loadError) {
    return (
      <>
        <h1>{t('profile.title')}</h1>
        <Alert kind="error">{loadError}</Alert>
      </>
    );
  }
  if (!profile) return <Loading />;
  const person = profile.person;

  return (
    <div className="profile">
      <h1>{t('profile.title')}</h1>
      <Card title={t('profile.account')}>
        <dl className="pairs">
          <dt>{t('profile.email')}</dt>
          <dd className="admin-break">{profile.account.email}</dd>
          {person && !person.erased && (
            <>
              <dt>{t('profile.hrName')}</dt>
              <dd>{person.name}</dd>
              {person.department && (
                <>
                  <dt>{t('profile.department')}</dt>
                  <dd>{person.department}</dd>
                </>
              )}
              {person.location && (
                <>
                  <dt>{t('profile.location')}</dt>
                  <dd>{person.location}</dd>
                </>
              )}
            </>
          )}
        </dl>
        {person && !person.erased && <p className="meta">{t('profile.hrHint')}</p>}
        <form onSubmit={(e) => void saveProfile(e)} noValidate>
          <TextInput
            label={t('profile.displayName')}
            hint={t('profile.displayNameHint')}
            error={nameError}
            name="display-name"
            autoComplete="nickname"
            maxLength={200}
            value={displayName}
            onChange={(e) => setDisplayName(e.target.value)}
          />
          <Select
            label={t('profile.language')}
            hint={t('profile.languageHint')}
            value={language}
            onChange={(e) => setLanguageChoice(e.target.value as Language)}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l} lang={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </Select>
          <Button type="submit" busy={saving}>
            {t('profile.save')}
          </Button>
        </form>
        <div role="status">{saved && <p className="admin-done">{t('profile.saved')}</p>}</div>
        {saveError && <Alert kind="error">{saveError}</Alert>}
      </Card>

      {person && !person.erased && <RoleOfferCard />}

      <Card title={t('profile.password')}>
        <form onSubmit={(e) => void changePassword(e)} noValidate>
          {/* Lets password managers tie the new password to the account. */}
          <input
            type="text"
            hidden
            name="username"
            autoComplete="username"
            value={profile.account.email}
            readOnly
          />
          <TextInput
            label={t('profile.currentPassword')}
            hint={t('profile.currentPasswordHint')}
            error={currentError}
            type="password"
            name="current-password"
            autoComplete="current-password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
          />
          <TextInput
            label={t('profile.newPassword')}
            hint={t('profile.newPasswordHint')}
            error={nextError}
            type="password"
            name="new-password"
            autoComplete="new-password"
            required
            value={next}
            onChange={(e) => setNext(e.target.value)}
          />
          <Button type="submit" busy={passwordBusy}>
            {t('profile.changePassword')}
          </Button>
        </form>
        <div role="status">{passwordDone && <p className="admin-done">{t('profile.passwordChanged')}</p>}</div>
        {passwordError && <Alert kind="error">{passwordError}</Alert>}
      </Card>

      <DataRightsCard />

      <Card title={t('profile.sessions')}>
        <p>{t('profile.endAllIntro')}</p>
        {endAllError && <Alert kind="error">{endAllError}</Alert>}
        <Button variant="danger" busy={endingAll} onClick={() => void endAll()}>
          {t('profile.endAll')}
        </Button>
      </Card>
    </div>
  );
}
