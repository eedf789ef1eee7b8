// The programme team's list: every programme the account administers (the list's
// `administered` flag; a system administrator administers all). System administrators
// and administrators of a programme may create the next one ("New programme").
import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { all, call } from '../api/client';
import type { Programme } from '../api/client';
import { Alert, Badge, Card, Loading, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import { useSession } from '../session';
import { stateTone } from './Programmes';

export function TeamProgrammesPage() {
  const { t, formatDate } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [programmes, setProgrammes] = useState<Programme[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const systemAdmin = account?.system_admin ?? false;

  useEffect(() => {
    let live = true;
    all((after) =>
      call('get', '/api/v1/programmes', { query: { after, limit: 500 } }).then((r) => r.data),
    )
      .then((items) => items.filter((p) => p.administered === true))
      .then((items) => live && setProgrammes(items))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [errorText, systemAdmin]);

  return (
    <>
      <h1>{t('team.title')}</h1>
      {(systemAdmin || (programmes !== null && programmes.length > 0)) && (
        <p>
          <Link className="btn btn-primary" to="/team/programmes/new">{t('manage.new')}</Link>
        </p>
      )}
      {error && <Alert kind="error">{error}</Alert>}
      {!programmes && !error && <Loading />}
      {programmes && programmes.length === 0 && <p>{t('team.empty')}</p>}
      {programmes && programmes.length > 0 && (
        <ul className="card-list" aria-label={t('team.title')}>
          {programmes.map((p) => (
            <li key={p.id}>
              <Card
                title={p.name}
                actions={
                  <Link className="btn btn-primary" to={`/team/programmes/${p.id}`}
                    aria-label={t('team.manageNamed', { name: p.name })}>
                    {t('team.manage')}
                  </Link>
                }
              >
                <p className="meta">
                  <Badge tone={stateTone(p.state)}>{t(`state.${p.state}`)}</Badge>{' '}
                  <span>{t('programmes.topics', { count: p.topics.length })}</span>
                  {p.enrolment_deadline !== null && (
                    <span> · {t('programmes.deadline', { date: formatDate(p.enrolment_deadline) })}</span>
                  )}
                </p>
              </Card>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
