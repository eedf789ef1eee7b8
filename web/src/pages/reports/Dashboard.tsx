// /team/programmes/{id}/dashboard: the programme's figures (GET …/dashboard) as charts — the
// funnel, demand against supply per topic, the match scores, the meeting cadence, the survey
// results and learning, the asks by topic and the earlier cohorts — with the department and
// location filters the server offers, and the exports. A null figure is "too few to show".
import { useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, call } from '../../api/client';
import type { Programme } from '../../api/client';
import { Alert, Loading, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import type { Language } from '../../i18n';
import { TeamTabs } from '../team/TeamTabs';
import { reportsApi, exportUrl } from './api';
import type { ExportName } from './api';
import { Figure, ReportChart } from './ReportCharts';
import { SurveyResults, TopicTable } from './SurveyResults';
import { localized } from './types';
import type { Dashboard, FilterValue } from './types';
import { surveyTitleKey } from './TeamSurveys';
import '../../styles/team.css';
import '../../styles/reports.css';

export interface Filters {
  department: string;
  location: string;
}

/** The values a filter may take (the offered ones only). */
export function offered(values: FilterValue[]): string[] {
  return values.filter((v) => v.available && v.value !== '').map((v) => v.value);
}

function FilterSelect({ name, label, values, value, onChange }: {
  name: 'department' | 'location';
  label: string;
  values: FilterValue[];
  value: string;
  onChange: (v: string) => void;
}) {
  const { t } = useI18n();
  const options = offered(values);
  const id = `dash-filter-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} className="input" value={value} aria-describedby="dash-filter-hint"
        onChange={(e) => onChange(e.target.value)}>
        <option value="">{t('reports.filter.all')}</option>
        {options.map((v) => (
          <option key={v} value={v}>{v}</option>
        ))}
      </select>
    </div>
  );
}

/** Whether enrolment is still open (or not yet): the server shows topic figures only after it. */
export function topicsPending(d: Dashboard): boolean {
  return d.programme.state === 'draft' || d.programme.state === 'enrolling';
}

export function DashboardView({ dashboard, programme, filters, onFilters, language }: {
  dashboard: Dashboard;
  programme: Programme | null;
  filters: Filters;
  onFilters: (f: Filters) => void;
  language: Language;
}) {
  const { t, formatDate } = useI18n();
  const d = dashboard;
  const topicName = (key: string) => {
    const fromDash = d.topics.find((x) => x.key === key);
    if (fromDash) return localized(fromDash.name, language) || key;
    const p = programme?.topics.find((x) => x.key === key);
    return (p ? (language === 'de' ? p.name_de : p.name_en) : '') || key;
  };
  const applied = d.applied.department || d.applied.location;
  const exports: { name: ExportName; label: string }[] = [
    { name: 'dashboard.csv', label: t('reports.export.dashboardCsv') },
    { name: 'dashboard.xlsx', label: t('reports.export.dashboardXlsx') },
    { name: 'tandems.csv', label: t('reports.export.tandemsCsv') },
    { name: 'tandems.xlsx', label: t('reports.export.tandemsXlsx') },
  ];
  const current = { department: d.applied.department ?? '', location: d.applied.location ?? '' };
  return (
    <>
      <p className="meta">{t('reports.dash.intro', { k: d.min_group_size })}</p>
      <section className="card" aria-labelledby="dash-filters">
        <h2 id="dash-filters" className="card-title">{t('reports.filter.title')}</h2>
        <form className="dash-filters" onSubmit={(e) => e.preventDefault()}>
          <FilterSelect name="department" label={t('reports.filter.department')} values={d.filters.department}
            value={filters.department} onChange={(v) => onFilters({ ...filters, department: v })} />
          <FilterSelect name="location" label={t('reports.filter.location')} values={d.filters.location}
            value={filters.location} onChange={(v) => onFilters({ ...filters, location: v })} />
        </form>
        <p className="field-hint" id="dash-filter-hint">{t('reports.filter.hint')}</p>
        {applied && (
          <p role="status" className="dash-applied">
            {t('reports.filter.applied', {
              what: [d.applied.department, d.applied.location].filter(Boolean).join(', '),
            })}
          </p>
        )}
        <h3 className="dash-export-title">{t('reports.export.title')}</h3>
        <ul className="dash-exports">
          {exports.map((x) => (
            <li key={x.name}>
              <a className="btn btn-secondary" href={exportUrl(d.programme.id, x.name, current)} download>
                {x.label}
              </a>
            </li>
          ))}
        </ul>
        <p className="field-hint">{t('reports.export.hint')}</p>
      </section>

      <section className="card" aria-labelledby="dash-funnel">
        <h2 id="dash-funnel" className="card-title">{t('reports.dash.funnel')}</h2>
        <ReportChart
          title={applied ? t('reports.dash.funnelFiltered') : t('reports.dash.funnelChart')}
          series={[{ key: 'n', label: t('reports.dash.people') }]}
          rows={d.funnel.map((s) => ({ label: t(`reports.stage.${s.stage}`), values: { n: s.count } }))}
        />
        <p>
          {t('reports.stage.withdrawn')}: <strong><Figure value={d.withdrawn} /></strong>
        </p>
      </section>

      <section className="card" aria-labelledby="dash-topics">
        <h2 id="dash-topics" className="card-title">{t('reports.dash.topics')}</h2>
        {topicsPending(d) ? (
          <p className="p-muted">{t('reports.dash.topicsPending')}</p>
        ) : (
          <>
            <ReportChart
              title={t('reports.dash.peopleChart')}
              series={[
                { key: 'mentees', label: t('reports.dash.mentees') },
                { key: 'mentors', label: t('reports.dash.mentors') },
              ]}
              rows={d.topics.map((x) => ({ label: localized(x.name, language) || x.key, values: { mentees: x.mentees, mentors: x.mentors } }))}
            />
            <ReportChart
              title={t('reports.dash.demandChart')}
              series={[
                { key: 'demand', label: t('reports.dash.demand') },
                { key: 'supply', label: t('reports.dash.supply') },
              ]}
              rows={d.topics.map((x) => ({ label: localized(x.name, language) || x.key, values: { demand: x.demand, supply: x.supply } }))}
            />
            <p className="field-hint">{t('reports.dash.demandHint')}</p>
          </>
        )}
      </section>

      <section className="card" aria-labelledby="dash-scores">
        <h2 id="dash-scores" className="card-title">{t('reports.dash.scores')}</h2>
        {d.scores.length === 0 ? (
          <p className="p-muted">{t('reports.dash.noTandems')}</p>
        ) : (
          <ReportChart
            title={t('reports.dash.scoresChart')}
            layout="columns"
            series={[{ key: 'n', label: t('reports.dash.tandems') }]}
            rows={d.scores.map((b) => ({ label: `${Math.round(b.from)}–${Math.round(b.to)}`, values: { n: b.count } }))}
          />
        )}
      </section>

      <section className="card" aria-labelledby="dash-meetings">
        <h2 id="dash-meetings" className="card-title">{t('reports.dash.meetings')}</h2>
        {d.meetings.too_few ? (
          <p><span className="rc-toofew">{t('reports.dash.meetingsTooFew')}</span></p>
        ) : (
          <dl className="pairs team-dl">
            <dt>{t('reports.dash.tandemsActive')}</dt>
            <dd><Figure value={d.meetings.tandems} /></dd>
            <dt>{t('reports.dash.held')}</dt>
            <dd><Figure value={d.meetings.held} /></dd>
            <dt>{t('reports.dash.reached', { min: d.meetings.target_min })}</dt>
            <dd><Figure value={d.meetings.reached_target} /></dd>
          </dl>
        )}
        {d.meetings.cadence.length === 0 ? (
          <p><span className="rc-toofew">{t('reports.dash.cadenceTooFew')}</span></p>
        ) : (
          <ReportChart
            title={t('reports.dash.cadenceChart', { min: d.meetings.target_min, max: d.meetings.target_max })}
            layout="columns"
            series={[{ key: 'n', label: t('reports.dash.tandems') }]}
            rows={d.meetings.cadence.map((c) => ({
              label: c.meetings === 'more' ? t('reports.dash.more', { n: d.meetings.target_min }) : c.meetings,
              values: { n: c.count },
            }))}
          />
        )}
      </section>

      <section className="card" aria-labelledby="dash-surveys">
        <h2 id="dash-surveys" className="card-title">{t('reports.dash.surveys')}</h2>
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('reports.dash.surveys')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('reports.dash.survey')}</th>
                <th scope="col">{t('reports.dash.state')}</th>
                <th scope="col">{t('reports.dash.invited')}</th>
                <th scope="col">{t('reports.results.respondentsAll')}</th>
              </tr>
            </thead>
            <tbody>
              {d.surveys.map((s) => (
                <tr key={s.id}>
                  <th scope="row">{t(surveyTitleKey(s))}</th>
                  <td>{t(`reports.state.${s.state}`)}</td>
                  <td><Figure value={s.invited} /></td>
                  <td>{s.result ? <Figure value={s.result.respondents} /> : t('reports.results.notReleasedShort')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {d.surveys.filter((s) => s.result).map((s) => (
          <details key={s.id} className="dash-survey">
            <summary>{t('reports.dash.surveyResults', { survey: t(surveyTitleKey(s)) })}</summary>
            <SurveyResults questions={s.questions} result={s.result}
              topicName={topicName} headingLevel={4} />
          </details>
        ))}
        <h3>{t('reports.learning.title')}</h3>
        <p className="field-hint">{t('reports.learning.hint')}</p>
        <h4>{t('reports.learning.mentees')}</h4>
        <TopicTable topics={d.learning.mentees} topicName={topicName} caption={t('reports.learning.mentees')} learning />
        <h4>{t('reports.learning.mentors')}</h4>
        <TopicTable topics={d.learning.mentors} topicName={topicName} caption={t('reports.learning.mentors')} learning />
      </section>

      <section className="card" aria-labelledby="dash-asks">
        <h2 id="dash-asks" className="card-title">{t('reports.dash.asks')}</h2>
        {d.asks.every((a) => a.count === 0) ? (
          <p className="p-muted">{t('reports.dash.noAsks')}</p>
        ) : (
          <ReportChart
            title={t('reports.dash.asksChart')}
            series={[{ key: 'n', label: t('reports.dash.asksCount') }]}
            rows={d.asks.filter((a) => a.count > 0).map((a) => ({ label: a.topic === '' ? t('asks.noTopic') : topicName(a.topic), values: { n: a.count } }))}
          />
        )}
      </section>

      <section className="card" aria-labelledby="dash-earlier">
        <h2 id="dash-earlier" className="card-title">{t('reports.dash.earlier')}</h2>
        {d.earlier.length === 0 ? (
          <p className="p-muted">{t('reports.dash.noEarlier')}</p>
        ) : (
          <>
            <ReportChart
              title={t('reports.dash.earlierChart')}
              series={[
                { key: 'enrolled', label: t('reports.stage.enrolled') },
                { key: 'active', label: t('reports.stage.active') },
                { key: 'completed', label: t('reports.stage.completed') },
              ]}
              rows={[{ name: d.programme.name, funnel: d.funnel, id: d.programme.id }, ...d.earlier].map((c) => ({
                label: c.name,
                values: {
                  enrolled: c.funnel.find((s) => s.stage === 'enrolled')?.count ?? null,
                  active: c.funnel.find((s) => s.stage === 'active')?.count ?? null,
                  completed: c.funnel.find((s) => s.stage === 'completed')?.count ?? null,
                },
              }))}
            />
            {applied && <p className="field-hint">{t('reports.dash.earlierUnfiltered')}</p>}
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">{t('reports.dash.earlier')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('reports.dash.programme')}</th>
                    <th scope="col">{t('reports.dash.created')}</th>
                    <th scope="col">{t('reports.stage.invited')}</th>
                    <th scope="col">{t('reports.stage.completed')}</th>
                    <th scope="col">{t('reports.results.nps')}</th>
                    <th scope="col">{t('reports.dash.satisfaction')}</th>
                  </tr>
                </thead>
                <tbody>
                  {d.earlier.map((c) => (
                    <tr key={c.id}>
                      <th scope="row">{c.name}</th>
                      <td>{formatDate(c.created_at)}</td>
                      <td><Figure value={c.funnel.find((s) => s.stage === 'invited')?.count ?? null} /></td>
                      <td><Figure value={c.funnel.find((s) => s.stage === 'completed')?.count ?? null} /></td>
                      <td><Figure value={c.nps} /></td>
                      <td><Figure value={c.satisfaction} digits={1} /></td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        )}
      </section>
    </>
  );
}

export function DashboardPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t, language } = useI18n();
  const errorText = useErrorText();
  const [search, setSearch] = useSearchParams();
  const filters: Filters = { department: search.get('department') ?? '', location: search.get('location') ?? '' };
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [dashboard, setDashboard] = useState<Dashboard | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filterError, setFilterError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('get', '/api/v1/programmes/{id}', { path: { id } })
      .then((p) => live && setProgramme(p.data))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [id]);

  useEffect(() => {
    let live = true;
    setFilterError(null);
    reportsApi
      .dashboard(id, filters)
      .then((d) => live && setDashboard(d))
      .catch((e: unknown) => {
        if (!live) return;
        if (e instanceof ApiError && e.status === 400 && (filters.department || filters.location)) {
          setFilterError(t('reports.filter.notAvailable'));
          setSearch({}, { replace: true });
        } else setError(errorText(e));
      });
    return () => {
      live = false;
    };
  }, [id, filters.department, filters.location, errorText]);

  const name = dashboard?.programme.name ?? programme?.name;
  return (
    <>
      <p>
        <Link to="/team">{t('team.back')}</Link>
      </p>
      <h1>{name ? t('team.programmeTitle', { name }) : t('reports.dash.title')}</h1>
      <TeamTabs id={id} current="dashboard" />
      {error && <Alert kind="error">{error}</Alert>}
      {filterError && <Alert kind="error">{filterError}</Alert>}
      {!error && !dashboard && <Loading />}
      {dashboard && (
        <DashboardView
          dashboard={dashboard}
          programme={programme}
          filters={filters}
          language={language}
          onFilters={(f) => {
            const next: Record<string, string> = {};
            if (f.department) next.department = f.department;
            if (f.location) next.location = f.location;
            setSearch(next, { replace: true });
          }}
        />
      )}
    </>
  );
}
