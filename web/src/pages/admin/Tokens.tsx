// /admin/tokens: the account's API tokens for integrations. A new token's secret is shown once,
// with a copy button; revoking asks once more.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, call } from '../../api/client';
import type { Schemas } from '../../api/client';
import { Alert, Badge, Button, Card, Loading, TextInput, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';

type ApiToken = Schemas['ApiToken'];
type Scope = Schemas['Scope'];
// Every scope of the OpenAPI document, in this order: a scope added there is a type error here.
const SCOPE_ORDER: Record<Scope, number> = {
  'people:read': 0,
  'people:write': 1,
  'programmes:read': 2,
  'programmes:write': 3,
  'audit:read': 4,
};
export const SCOPES = (Object.keys(SCOPE_ORDER) as Scope[]).sort((a, b) => SCOPE_ORDER[a] - SCOPE_ORDER[b]);

export function TokensSection() {
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [returnFocus, setReturnFocus] = useState<number | null>(null);
  const [focusName, setFocusName] = useState(false);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    const r = await call('get', '/api/v1/api-tokens');
    setTokens([...r.data.items].sort((a, b) => b.created_at - a.created_at));
  }, []);
  useEffect(() => {
    load().catch((e: unknown) => setError(errorText(e)));
  }, [load, errorText]);

  const revoke = async (token: ApiToken) => {
    setBusy(true);
    setError(null);
    try {
      await call('delete', '/api/v1/api-tokens/{id}', { path: { id: token.id } });
      setConfirming(null);
      setMessage(t('admin.tokens.revoked', { name: token.name }));
      await load();
      document.getElementById('tokens-list-heading')?.focus();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h2>{t('admin.tokens.title')}</h2>
      <p>{t('admin.tokens.intro')}</p>
      {created ? (
        <NewToken
          created={created}
          onDone={() => {
            setCreated(null);
            setFocusName(true);
          }}
        />
      ) : (
        <CreateToken
          autoFocus={focusName}
          onCreated={(c) => {
            setCreated(c);
            setMessage(null);
            void load().catch((e: unknown) => setError(errorText(e)));
          }}
        />
      )}
      <section aria-labelledby="tokens-list-heading">
        <h3 id="tokens-list-heading" tabIndex={-1}>{t('admin.tokens.list')}</h3>
        <div role="status">{message && <p className="admin-done">{message}</p>}</div>
        {error && <Alert kind="error">{error}</Alert>}
        {!tokens && !error && <Loading />}
        {tokens && tokens.length === 0 && <p>{t('admin.tokens.empty')}</p>}
        {tokens && tokens.length > 0 && (
          <div className="table-wrap">
            <table className="table admin-table">
              <caption className="visually-hidden">{t('admin.tokens.list')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.tokens.name')}</th>
                  <th scope="col">{t('admin.tokens.scopes')}</th>
                  <th scope="col">{t('admin.tokens.created')}</th>
                  <th scope="col">{t('admin.tokens.lastUsed')}</th>
                  <th scope="col">{t('admin.tokens.state')}</th>
                </tr>
              </thead>
              <tbody>
                {tokens.map((tok) => (
                  <tr key={tok.id}>
                    <th scope="row">{tok.name}</th>
                    <td>
                      <ul className="admin-scopes">
                        {tok.scopes.map((s) => (
                          <li key={s}><code>{s}</code></li>
                        ))}
                      </ul>
                    </td>
                    <td>{formatDate(tok.created_at)}</td>
                    <td>{tok.last_used_at === null ? t('admin.tokens.never') : formatDate(tok.last_used_at)}</td>
                    <td>
                      {tok.revoked_at !== null ? (
                        <Badge tone="bad">{t('admin.tokens.revokedAt', { date: formatDate(tok.revoked_at) })}</Badge>
                      ) : confirming === tok.id ? (
                        <div className="admin-confirm">
                          <p id={`revoke-question-${tok.id}`}>{t('admin.tokens.confirm', { name: tok.name })}</p>
                          <Button
                            variant="danger"
                            className="btn-small"
                            busy={busy}
                            aria-describedby={`revoke-question-${tok.id}`}
                            onClick={() => void revoke(tok)}
                          >
                            {t('admin.tokens.revokeConfirm')}
                          </Button>
                          <Button
                            variant="secondary"
                            className="btn-small"
                            autoFocus
                            aria-describedby={`revoke-question-${tok.id}`}
                            onClick={() => {
                              setConfirming(null);
                              setReturnFocus(tok.id);
                            }}
                          >
                            {t('admin.cancel')}
                          </Button>
                        </div>
                      ) : (
                        <>
                          <Badge tone="good">{t('admin.tokens.active')}</Badge>{' '}
                          <Button
                            variant="secondary"
                            className="btn-small"
                            autoFocus={returnFocus === tok.id}
                            onClick={() => setConfirming(tok.id)}
                            aria-label={t('admin.tokens.revokeNamed', { name: tok.name })}
                          >
                            {t('admin.tokens.revoke')}
                          </Button>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

function CreateToken({ onCreated, autoFocus }: {
  onCreated: (c: { name: string; token: string }) => void;
  autoFocus: boolean;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const [busy, setBusy] = useState(false);
  const [nameError, setNameError] = useState<string | undefined>();
  const [scopeError, setScopeError] = useState<string | undefined>();
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const trimmed = name.trim();
    const nameProblem = trimmed ? undefined : t('admin.tokens.nameRequired');
    const scopeProblem = scopes.length ? undefined : t('admin.tokens.scopeRequired');
    setNameError(nameProblem);
    setScopeError(scopeProblem);
    setError(null);
    if (nameProblem || scopeProblem) return;
    setBusy(true);
    try {
      const r = await call('post', '/api/v1/api-tokens', { body: { name: trimmed, scopes } });
      setName('');
      setScopes([]);
      onCreated({ name: trimmed, token: r.data.token });
    } catch (err) {
      if (err instanceof ApiError) {
        setNameError(err.fieldError('name'));
        setScopeError(err.fieldError('scopes'));
        if (err.status === 403) setError(t('admin.tokens.forbidden'));
        else if (!err.fieldError('name') && !err.fieldError('scopes')) setError(errorText(err));
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const toggle = (s: Scope, on: boolean) =>
    setScopes((list) => (on ? SCOPES.filter((x) => x === s || list.includes(x)) : list.filter((x) => x !== s)));

  return (
    <Card title={t('admin.tokens.create')} headingLevel={3}>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <TextInput
          label={t('admin.tokens.name')}
          hint={t('admin.tokens.nameHint')}
          error={nameError}
          autoFocus={autoFocus}
          maxLength={100}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <fieldset
          className={scopeError ? 'admin-scope-choice field-invalid' : 'admin-scope-choice'}
          aria-describedby={scopeError ? 'token-scope-error' : undefined}
        >
          <legend>{t('admin.tokens.scopes')}</legend>
          {SCOPES.map((s) => (
            <label key={s} className="check admin-scope">
              <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => toggle(s, e.target.checked)} />
              <span>
                <code>{s}</code> <span className="admin-sub">{t(`admin.scope.${s}`)}</span>
              </span>
            </label>
          ))}
          {scopeError && (
            <p className="field-error" id="token-scope-error">
              {scopeError}
            </p>
          )}
        </fieldset>
        {error && <Alert kind="error">{error}</Alert>}
        <Button type="submit" busy={busy}>
          {t('admin.tokens.createSubmit')}
        </Button>
      </form>
    </Card>
  );
}

function NewToken({ created, onDone }: { created: { name: string; token: string }; onDone: () => void }) {
  const { t } = useI18n();
  const field = useRef<HTMLInputElement>(null);
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  useEffect(() => {
    field.current?.focus();
    field.current?.select();
  }, []);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(created.token);
      setCopied('yes');
    } catch {
      field.current?.select();
      setCopied(document.execCommand?.('copy') ? 'yes' : 'no');
    }
  };

  return (
    <Card title={t('admin.tokens.createdTitle', { name: created.name })} headingLevel={3}>
      <Alert kind="info">{t('admin.tokens.once')}</Alert>
      <div className="field">
        <label htmlFor="new-token">{t('admin.tokens.secret')}</label>
        <div className="admin-secret">
          <input
            ref={field}
            id="new-token"
            className="input admin-mono"
            readOnly
            value={created.token}
            onFocus={(e) => e.target.select()}
          />
          <Button variant="secondary" onClick={() => void copy()}>
            {t('admin.tokens.copy')}
          </Button>
        </div>
      </div>
      <div role="status">
        {copied === 'yes' && <p className="admin-done">{t('admin.tokens.copied')}</p>}
        {copied === 'no' && <p>{t('admin.tokens.copyManually')}</p>}
      </div>
      <Button onClick={onDone}>{t('admin.tokens.done')}</Button>
    </Card>
  );
}
