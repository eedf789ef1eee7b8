// The released results of one survey, question by question: scale and recommendation
// distributions with their mean and NPS, choice counts, free texts, topic ratings. Every null
// figure reads "too few to show" (docs/reports.md: the minimum group size).
import { useI18n } from '../../i18n';
import { Figure, ReportChart } from './ReportCharts';
import { localized } from './types';
import type { Question, QuestionResult, SurveyResult, TopicResult } from './types';
import '../../styles/reports.css';

export type TopicNames = (key: string) => string;

function QuestionFigures({ q, r, topicName, headingLevel }: {
  q: Question | undefined;
  r: QuestionResult;
  topicName: TopicNames;
  headingLevel: 3 | 4;
}) {
  const { t, language } = useI18n();
  const H = headingLevel === 3 ? 'h3' : 'h4';
  const text = q ? localized(q.text, language) : r.key;
  const title = text;
  let body = null;
  if (r.type === 'scale' || r.type === 'recommendation') {
    const from = r.type === 'scale' ? 1 : 0;
    body = (
      <>
        <p className="rs-line">
          {r.type === 'scale' ? t('reports.results.mean') : t('reports.results.nps')}:{' '}
          <strong><Figure value={r.type === 'scale' ? r.mean : r.nps} digits={r.type === 'scale' ? 1 : 0} /></strong>
          {r.type === 'recommendation' && r.nps_groups && (
            <span className="meta-inline">
              {' '}({t('reports.results.npsGroups', {
                detractors: r.nps_groups[0] ?? 0,
                passives: r.nps_groups[1] ?? 0,
                promoters: r.nps_groups[2] ?? 0,
              })})
            </span>
          )}
        </p>
        {r.distribution ? (
          <ReportChart
            title={t('reports.results.distribution', { question: title })}
            layout="columns"
            series={[{ key: 'n', label: t('reports.results.people') }]}
            rows={r.distribution.map((n, i) => ({ label: String(from + i), values: { n } }))}
          />
        ) : (
          <p className="rs-line">{t('reports.results.distributionLabel')}: <Figure value={null} /></p>
        )}
      </>
    );
  } else if (r.type === 'single_choice') {
    body = (
      <ReportChart
        title={t('reports.results.choices', { question: title })}
        series={[{ key: 'n', label: t('reports.results.people') }]}
        rows={(r.choices ?? []).map((c) => ({
          label: localized(q?.choices?.find((x) => x.key === c.key)?.label, language) || c.key,
          values: { n: c.count },
        }))}
      />
    );
  } else if (r.type === 'free_text') {
    body = r.texts ? (
      r.texts.length === 0 ? (
        <p className="p-muted">{t('reports.results.noTexts')}</p>
      ) : (
        <ul className="rs-texts">
          {r.texts.map((x, i) => (
            <li key={i}>{x}</li>
          ))}
        </ul>
      )
    ) : (
      <p className="rs-line"><Figure value={null} /></p>
    );
  } else {
    body = <TopicTable topics={r.topics ?? []} topicName={topicName} caption={title} />;
  }
  return (
    <section className="rs-question">
      <H className="rs-title">{title}</H>
      <p className="meta">
        {t('reports.results.respondents')}: <Figure value={r.respondents} />
      </p>
      {body}
    </section>
  );
}

/** Topic ratings (mean 0–3), or learning (before, after, change) when `learning`. */
export function TopicTable({ topics, topicName, caption, learning }: {
  topics: TopicResult[];
  topicName: TopicNames;
  caption: string;
  learning?: boolean;
}) {
  const { t } = useI18n();
  if (topics.length === 0) return <p className="p-muted">{t('reports.results.none')}</p>;
  return (
    <div className="table-wrap">
      <table className="table rs-table">
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('reports.results.topic')}</th>
            <th scope="col">{t('reports.results.people')}</th>
            {learning && <th scope="col">{t('reports.learning.before')}</th>}
            <th scope="col">{learning ? t('reports.learning.after') : t('reports.results.meanRating')}</th>
            {learning && <th scope="col">{t('reports.learning.change')}</th>}
            {learning && <th scope="col">{t('reports.learning.counts')}</th>}
          </tr>
        </thead>
        <tbody>
          {topics.map((x) => (
            <tr key={x.topic}>
              <th scope="row">{topicName(x.topic)}</th>
              <td><Figure value={x.respondents} /></td>
              {learning && <td><Figure value={x.mean_before} digits={1} /></td>}
              <td><Figure value={x.mean} digits={1} /></td>
              {learning && (
                <td>
                  <Figure value={x.mean_change} digits={1} />
                </td>
              )}
              {learning && (
                <td>
                  {x.change_counts ? (
                    t('reports.learning.countsValue', {
                      up: x.change_counts[0] ?? 0,
                      same: x.change_counts[1] ?? 0,
                      down: x.change_counts[2] ?? 0,
                    })
                  ) : (
                    <Figure value={null} />
                  )}
                </td>
              )}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SurveyResults({ questions, result, topicName, headingLevel = 3 }: {
  questions: Question[];
  result: SurveyResult | null;
  topicName: TopicNames;
  headingLevel?: 3 | 4;
}) {
  const { t } = useI18n();
  if (!result) return <p className="p-muted">{t('reports.results.notReleased')}</p>;
  return (
    <div className="rs-results">
      <p>
        {t('reports.results.respondentsAll')}: <strong><Figure value={result.respondents} /></strong>
      </p>
      {result.questions.map((r) => (
        <QuestionFigures key={r.key} q={questions.find((q) => q.key === r.key)} r={r} topicName={topicName}
          headingLevel={headingLevel} />
      ))}
    </div>
  );
}
