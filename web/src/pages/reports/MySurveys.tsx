// /surveys and /surveys/{id}: the participant's surveys (GET /me/surveys). The list shows the
// open ones to answer and the answered ones; a survey's page holds its answer form, read-only
// once the answers were counted in released results ("frozen") or the survey closed.
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { call } from '../../api/client';
import { Alert, Badge, Loading, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { reportsApi } from './api';
import { SurveyForm, type TopicName } from './SurveyForm';
import { programmeIdOf, programmeNameOf } from './types';
import type { MySurvey } from './types';
import '../../styles/participant.css';
import '../../styles/reports.css';

export function useSurveyTitle(): (s: { kind: MySurvey['kind'] }) => string {
  const { t } = useI18n();
  return (s) => t(s.kind === 'final' ? 'reports.kind.final' : 'reports.kind.mid_term');
}

function SurveyItem({ s }: { s: MySurvey }) {
  const { t } = useI18n();
  const title = useSurveyTitle();
  const editable = s.state === 'open' && !s.frozen;
  return (
    <li className="card sv-item">
      <h3 className="sv-item-title">
        <Link to={`/surveys/${s.id}`}>{title(s)}</Link>
      </h3>
      <p className="meta">{programmeNameOf(s)}</p>
      <p className="p-badges">
        {s.response ? (
          <Badge tone="good">{t('reports.survey.answered')}</Badge>
        ) : (
          <Badge tone="warn">{t('reports.survey.notAnswered')}</Badge>
        )}
        {s.frozen && <Badge>{t('reports.survey.frozenShort')}</Badge>}
        {!s.frozen && s.state !== 'open' && <Badge>{t('reports.survey.closed')}</Badge>}
      </p>
      <p className="p-detail-link">
        <Link to={`/surveys/${s.id}`} className={editable ? 'btn btn-primary' : 'btn btn-secondary'}
          aria-label={`${editable ? (s.response ? t('reports.survey.change') : t('reports.survey.answer')) : t('reports.survey.view')}: ${title(s)}, ${programmeNameOf(s)}`}>
          {editable ? (s.response ? t('reports.survey.change') : t('reports.survey.answer')) : t('reports.survey.view')}
        </Link>
      </p>
    </li>
  );
}

export function MySurveysPage() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [surveys, setSurveys] = useState<MySurvey[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    reportsApi
      .mySurveys()
      .then((s) => live && setSurveys(s))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [errorText]);

  if (error) return <Alert kind="error">{error}</Alert>;
  if (!surveys) return <Loading />;
  const open = surveys.filter((s) => s.state === 'open' && !s.frozen);
  const done = surveys.filter((s) => !(s.state === 'open' && !s.frozen));
  return (
    <div className="p-page">
      <h1>{t('reports.my.title')}</h1>
      <p className="meta">{t('reports.my.intro')}</p>
      <section aria-labelledby="sv-open">
        <h2 id="sv-open">{t('reports.my.open')}</h2>
        {open.length === 0 ? (
          <p className="p-muted">{t('reports.my.noneOpen')}</p>
        ) : (
          <ul className="sv-list">{open.map((s) => <SurveyItem key={s.id} s={s} />)}</ul>
        )}
      </section>
      {done.length > 0 && (
        <section aria-labelledby="sv-done">
          <h2 id="sv-done">{t('reports.my.done')}</h2>
          <ul className="sv-list">{done.map((s) => <SurveyItem key={s.id} s={s} />)}</ul>
        </section>
      )}
    </div>
  );
}

export function MySurveyPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t, language } = useI18n();
  const errorText = useErrorText();
  const title = useSurveyTitle();
  const [survey, setSurvey] = useState<MySurvey | null | undefined>(undefined);
  const [topics, setTopics] = useState<TopicName[]>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    reportsApi
      .mySurveys()
      .then((list) => {
        if (!live) return;
        const s = list.find((x) => x.id === id) ?? null;
        setSurvey(s);
        if (s && s.questions.some((q) => q.type === 'topic_rating')) {
          call('get', '/api/v1/programmes/{id}', { path: { id: programmeIdOf(s) } })
            .then((p) => {
              if (live) setTopics(p.data.topics.map((x) => ({ key: x.key, name: (language === 'de' ? x.name_de : x.name_en) || x.key })));
            })
            .catch(() => undefined);
        }
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, errorText, language]);

  return (
    <div className="p-page">
      <p className="p-back">
        <Link to="/surveys">{t('reports.my.back')}</Link>
      </p>
      {error && <Alert kind="error">{error}</Alert>}
      {!error && survey === undefined && <Loading />}
      {survey === null && (
        <>
          <h1>{t('reports.my.title')}</h1>
          <Alert kind="info">{t('reports.my.notFound')}</Alert>
        </>
      )}
      {survey && (
        <>
          <h1>{title(survey)}</h1>
          <p className="meta">
            {programmeNameOf(survey)} · {t('reports.survey.anonymous')}
          </p>
          <SurveyForm key={survey.id} survey={survey} topics={topics} />
        </>
      )}
    </div>
  );
}
