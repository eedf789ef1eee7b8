import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { all, call } from '../api/client';
import type { Programme } from '../api/client';
import { Alert, Badge, Card, Loading, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';

export function stateTone(state: Programme['state']): 'neutral' | 'good' | 'warn' {
  return state === 'enrolling' ? 'good' : state === 'running' || state === 'matching' ? 'warn' : 'neutral';
}

export function ProgrammesPage() {
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [programmes, setProgrammes] = useState<Programme[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    all((after) => call('get', '/api/v1/programmes', { query: { after, limit: 500 } }).then((r) => r.data))
      .then((items) => live && setProgrammes(items))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [errorText]);

  return (
    <>
      <h1>{t('programmes.title')}</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!programmes && !error && <Loading />}
      {programmes && programmes.length === 0 && <p>{t('programmes.empty')}</p>}
      {programmes && programmes.length > 0 && (
        <ul className="card-list" aria-label={t('programmes.title')}>
          {programmes.map((p) => (
            <li key={p.id}>
              <Card
                title={p.name}
                actions={
                  p.state === 'enrolling' ? (
                    <Link className="btn btn-primary" to={`/programmes/${p.id}/enrolment`}>
                      {t('programmes.questionnaire')}
                    </Link>
                  ) : undefined
                }
              >
                <p className="meta">
                  <Badge tone={stateTone(p.state)}>{t(`state.${p.state}`)}</Badge>{' '}
                  <span>{t('programmes.topics', { count: p.topics.length })}</span>
                  {p.enrolment_deadline !== null && p.state === 'enrolling' && (
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
