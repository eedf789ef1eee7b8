// /admin/programmes: every programme with its administrators; appoint one from the accounts,
// remove one. The admins list holds account ids only, so the accounts are read once for names.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { all, call } from '../../api/client';
import type { Account, Programme } from '../../api/client';
import { Alert, Badge, Button, Card, Loading, Select, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { stateTone } from '../Programmes';

/** "Name <e-mail>", or the e-mail alone when the account has no name. */
export function accountLabel(a: Account): string {
  return a.display_name ? `${a.display_name} <${a.email}>` : a.email;
}

export function ProgrammeAdminsSection() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [programmes, setProgrammes] = useState<Programme[] | null>(null);
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([
      all((after) => call('get', '/api/v1/programmes', { query: { after, limit: 500 } }).then((r) => r.data)),
      all((after) => call('get', '/api/v1/accounts', { query: { after, limit: 500 } }).then((r) => r.data)),
    ])
      .then(([p, a]) => {
        if (!live) return;
        setProgrammes(p);
        setAccounts([...a].sort((x, y) => accountLabel(x).localeCompare(accountLabel(y))));
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [errorText]);

  return (
    <>
      <h2>{t('admin.programmes.title')}</h2>
      <p>{t('admin.programmes.intro')}</p>
      {error && <Alert kind="error">{error}</Alert>}
      {(!programmes || !accounts) && !error && <Loading />}
      {programmes && programmes.length === 0 && <p>{t('admin.programmes.empty')}</p>}
      {programmes && accounts && programmes.length > 0 && (
        <ul className="card-list">
          {programmes.map((p) => (
            <li key={p.id}>
              <ProgrammeAdmins programme={p} accounts={accounts} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function ProgrammeAdmins({ programme, accounts }: { programme: Programme; accounts: Account[] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [admins, setAdmins] = useState<number[] | null>(null);
  const [choice, setChoice] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const byId = useMemo(() => new Map(accounts.map((a) => [a.id, a])), [accounts]);

  const load = useCallback(async () => {
    const r = await call('get', '/api/v1/programmes/{id}/admins', { path: { id: programme.id } });
    setAdmins(r.data.items);
  }, [programme.id]);
  useEffect(() => {
    load().catch((e: unknown) => setError(errorText(e)));
  }, [load, errorText]);

  const nameOf = (id: number) => {
    const a = byId.get(id);
    return a ? accountLabel(a) : t('admin.programmes.unknownAccount', { id });
  };

  const add = async (e: FormEvent) => {
    e.preventDefault();
    const accountId = Number(choice);
    if (!accountId) {
      setError(t('admin.programmes.chooseFirst'));
      return;
    }
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await call('put', '/api/v1/programmes/{id}/admins/{account_id}', {
        path: { id: programme.id, account_id: accountId },
      });
      await load();
      setChoice('');
      setMessage(t('admin.programmes.added', { name: nameOf(accountId) }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const remove = async (accountId: number) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      await call('delete', '/api/v1/programmes/{id}/admins/{account_id}', {
        path: { id: programme.id, account_id: accountId },
      });
      await load();
      setMessage(t('admin.programmes.removed', { name: nameOf(accountId) }));
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  const candidates = accounts.filter((a) => !admins?.includes(a.id));
  return (
    <Card
      headingLevel={3}
      title={
        <>
          {programme.name} <Badge tone={stateTone(programme.state)}>{t(`state.${programme.state}`)}</Badge>
        </>
      }
    >
      <p className="meta">
        <Link to={`/team/programmes/${programme.id}`}>{t('admin.programmes.open', { name: programme.name })}</Link>
      </p>
      {admins === null && !error && <Loading />}
      {admins && admins.length === 0 && <p>{t('admin.programmes.noAdmins')}</p>}
      {admins && admins.length > 0 && (
        <ul className="admin-list" aria-label={t('admin.programmes.adminsOf', { name: programme.name })}>
          {admins.map((id) => (
            <li key={id}>
              <span className="admin-break">{nameOf(id)}</span>
              <Button
                variant="secondary"
                className="btn-small"
                disabled={busy}
                onClick={() => void remove(id)}
                aria-label={t('admin.programmes.removeNamed', { name: nameOf(id), programme: programme.name })}
              >
                {t('admin.programmes.remove')}
              </Button>
            </li>
          ))}
        </ul>
      )}
      {admins && (
        <form className="inline-form" onSubmit={(e) => void add(e)} noValidate>
          <Select
            label={t('admin.programmes.add', { name: programme.name })}
            value={choice}
            onChange={(e) => setChoice(e.target.value)}
          >
            <option value="">{t('admin.programmes.choose')}</option>
            {candidates.map((a) => (
              <option key={a.id} value={a.id}>
                {accountLabel(a)}
              </option>
            ))}
          </Select>
          <Button type="submit" busy={busy} disabled={!choice}>
            {t('admin.programmes.appoint')}
          </Button>
        </form>
      )}
      <div role="status">{message && <p className="admin-done">{message}</p>}</div>
      {error && <Alert kind="error">{error}</Alert>}
    </Card>
  );
}
