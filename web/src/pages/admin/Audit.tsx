// /admin/audit: the audit log, newest first, with filters. The API pages oldest first and has no
// filter parameters (only after/limit), so the page reads the whole log and filters here.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { all, call } from '../../api/client';
import type { Account, Schemas } from '../../api/client';
import { Alert, Button, Loading, Select, TextInput, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { accountLabel } from './ProgrammeAdmins';

type AuditEntry = Schemas['AuditEntry'];
const PAGE = 50;

export function AuditSection() {
  const { t, language } = useI18n();
  const errorText = useErrorText();
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [accounts, setAccounts] = useState<Map<number, Account>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [action, setAction] = useState('');
  const [entity, setEntity] = useState('');
  const [text, setText] = useState('');
  const [shown, setShown] = useState(PAGE);

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      const [log, list] = await Promise.all([
        all((after) => call('get', '/api/v1/audit', { query: { after, limit: 500 } }).then((r) => r.data)),
        all((after) => call('get', '/api/v1/accounts', { query: { after, limit: 500 } }).then((r) => r.data)),
      ]);
      setEntries([...log].sort((a, b) => b.at - a.at || b.id - a.id));
      setAccounts(new Map(list.map((a) => [a.id, a])));
      setShown(PAGE);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setLoading(false);
    }
  }, [errorText]);
  useEffect(() => {
    void load();
  }, [load]);

  const time = useMemo(
    () =>
      new Intl.DateTimeFormat(language === 'de' ? 'de-DE' : 'en-GB', {
        dateStyle: 'medium',
        timeStyle: 'medium',
      }),
    [language],
  );
  const actorText = useCallback(
    (actor: string) => {
      const m = /^account:(\d+)$/.exec(actor);
      const a = m ? accounts.get(Number(m[1])) : undefined;
      return a ? accountLabel(a) : actor;
    },
    [accounts],
  );
  const actions = useMemo(() => [...new Set((entries ?? []).map((e) => e.action))].sort(), [entries]);
  const entities = useMemo(() => [...new Set((entries ?? []).map((e) => e.entity))].sort(), [entries]);
  const matching = useMemo(() => {
    const needle = text.trim().toLocaleLowerCase();
    return (entries ?? []).filter(
      (e) =>
        (!action || e.action === action) &&
        (!entity || e.entity === entity) &&
        (!needle || `${actorText(e.actor)} ${e.actor} ${e.detail}`.toLocaleLowerCase().includes(needle)),
    );
  }, [entries, action, entity, text, actorText]);

  return (
    <>
      <h2>{t('admin.audit.title')}</h2>
      <p>{t('admin.audit.intro')}</p>
      {error && <Alert kind="error">{error}</Alert>}
      {!entries && !error && <Loading />}
      {entries && (
        <>
          <form className="inline-form" onSubmit={(e) => e.preventDefault()} aria-label={t('admin.audit.filters')}>
            <Select label={t('admin.audit.action')} value={action} onChange={(e) => { setAction(e.target.value); setShown(PAGE); }}>
              <option value="">{t('admin.audit.all')}</option>
              {actions.map((a) => (
                <option key={a} value={a}>{a}</option>
              ))}
            </Select>
            <Select label={t('admin.audit.object')} value={entity} onChange={(e) => { setEntity(e.target.value); setShown(PAGE); }}>
              <option value="">{t('admin.audit.all')}</option>
              {entities.map((a) => (
                <option key={a} value={a}>{a}</option>
              ))}
            </Select>
            <TextInput
              label={t('admin.audit.search')}
              type="search"
              value={text}
              onChange={(e) => { setText(e.target.value); setShown(PAGE); }}
            />
            <Button variant="secondary" busy={loading} onClick={() => void load()}>
              {t('admin.audit.refresh')}
            </Button>
          </form>
          <p className="meta" role="status">
            {t('admin.audit.count', { shown: Math.min(shown, matching.length), total: matching.length })}
          </p>
          {matching.length > 0 && (
            <div className="table-wrap">
              <table className="table admin-table">
                <caption className="visually-hidden">{t('admin.audit.title')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('admin.audit.time')}</th>
                    <th scope="col">{t('admin.audit.actor')}</th>
                    <th scope="col">{t('admin.audit.action')}</th>
                    <th scope="col">{t('admin.audit.object')}</th>
                    <th scope="col">{t('admin.audit.detail')}</th>
                  </tr>
                </thead>
                <tbody>
                  {matching.slice(0, shown).map((e) => (
                    <tr key={e.id}>
                      <td className="admin-nowrap">
                        <time dateTime={new Date(e.at).toISOString()}>{time.format(new Date(e.at))}</time>
                      </td>
                      <td className="admin-break">{actorText(e.actor)}</td>
                      <td><code>{e.action}</code></td>
                      <td>{e.entity_id === null ? e.entity : `${e.entity} #${e.entity_id}`}</td>
                      <td className="admin-break">{e.detail}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {matching.length > shown && (
            <Button variant="secondary" onClick={() => setShown((n) => n + PAGE)}>
              {t('admin.audit.more', { count: Math.min(PAGE, matching.length - shown) })}
            </Button>
          )}
        </>
      )}
    </>
  );
}
