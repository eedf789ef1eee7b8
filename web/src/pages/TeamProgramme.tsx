// The programme team's page for one programme: the summary (charts), the state actions, the
// settings at a glance, invitations by filter and the list of invitations and enrolments, the
// matching runs with their progress and a run's review (pairs with reasons, pin/forbid,
// unmatched people, demand against supply, comparison, publication; after publication the
// rematch), and the programme's tandems. The parts live in ./team/.
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router-dom';
import { all, call } from '../api/client';
import type { PairRule, ProgrammeSummary, Run, RunDetail } from '../api/client';
import { Alert, Badge, Loading, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import { stateTone } from './Programmes';
import { EnrolmentsCard } from './team/EnrolmentsCard';
import { InviteCard } from './team/InviteCard';
import { NewProgrammePage } from './team/NewProgramme';
import { ProgrammeSettingsPage } from './team/ProgrammeSettings';
import { RunReview } from './team/RunReview';
import { RunsCard } from './team/RunsCard';
import { SettingsCard } from './team/SettingsCard';
import { StateCard } from './team/StateCard';
import { SummaryCard } from './team/SummaryCard';
import { TandemsCard } from './team/TandemsCard';
import { AsksPage } from './team/Asks';
import { TeamTabs } from './team/TeamTabs';
import { asRun, pending } from './team/runTypes';
import '../styles/team.css';

// The reports pages (issue 8) bring the charting library: loaded when first opened.
const DashboardPage = lazy(() => import('./reports/Dashboard').then((m) => ({ default: m.DashboardPage })));
const TeamSurveysPage = lazy(() => import('./reports/TeamSurveys').then((m) => ({ default: m.TeamSurveysPage })));

/**
 * The team's programme routes: /team/programmes/new (create), /team/programmes/{id}/settings
 * (`view="settings"`), /team/programmes/{id}/asks (`view="asks"`, the asks to leadership) and
 * /team/programmes/{id} (the team page).
 */
export function TeamProgrammePage({ view }: { view?: 'settings' | 'asks' | 'surveys' | 'dashboard' }) {
  const { id } = useParams();
  if (id === 'new' || id === undefined) return <NewProgrammePage />;
  if (view === 'settings') return <ProgrammeSettingsPage key={id} />;
  if (view === 'asks') return <AsksPage key={id} />;
  if (view === 'surveys') return <Suspense fallback={<Loading />}><TeamSurveysPage key={id} /></Suspense>;
  if (view === 'dashboard') return <Suspense fallback={<Loading />}><DashboardPage key={id} /></Suspense>;
  return <ProgrammeTeamPage key={id} />;
}

function ProgrammeTeamPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [summary, setSummary] = useState<ProgrammeSummary | null>(null);
  const [runs, setRuns] = useState<Run[]>([]);
  const [rules, setRules] = useState<PairRule[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [detail, setDetail] = useState<RunDetail | null>(null);
  // Grows when the enrolment and tandem lists may have changed (invitations, publication).
  const [listsVersion, setListsVersion] = useState(0);
  const location = useLocation();
  const created = (location.state as { created?: boolean } | null)?.created === true;

  const loadSummary = useCallback(
    () => call('get', '/api/v1/programmes/{id}/summary', { path: { id } }).then((r) => setSummary(r.data)),
    [id],
  );
  const loadRuns = useCallback(
    () =>
      all((after) =>
        call('get', '/api/v1/programmes/{id}/runs', { path: { id }, query: { after, limit: 500 } })
          .then((r) => r.data),
      ).then((items) => setRuns([...items].sort((a, b) => b.id - a.id))),
    [id],
  );
  const loadRules = useCallback(
    () => call('get', '/api/v1/programmes/{id}/pair-rules', { path: { id } }).then((r) => setRules(r.data.items)),
    [id],
  );

  useEffect(() => {
    Promise.all([loadSummary(), loadRuns(), loadRules()]).catch((e: unknown) => setError(errorText(e)));
  }, [loadSummary, loadRuns, loadRules, errorText]);

  // The selected run's detail (result and report).
  useEffect(() => {
    if (selected === null) {
      setDetail(null);
      return;
    }
    let live = true;
    call('get', '/api/v1/programmes/{id}/runs/{run_id}', { path: { id, run_id: selected } })
      .then((r) => {
        if (!live) return;
        setDetail(r.data);
        // The list shows the same state as the review (the poll may not have run yet).
        setRuns((old) => old.map((x) => (x.id === r.data.id ? asRun(r.data) : x)));
        if (!pending(r.data)) void loadSummary().catch(() => undefined);
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, selected, errorText, loadSummary]);

  // Every second while a run is queued or running: its state, phase and progress.
  const pendingKey = runs.filter(pending).map((r) => r.id).join(',');
  useEffect(() => {
    if (!pendingKey) return;
    const ids = pendingKey.split(',').map(Number);
    let live = true;
    const timer = window.setInterval(() => {
      void Promise.all(
        ids.map((runId) =>
          call('get', '/api/v1/programmes/{id}/runs/{run_id}', { path: { id, run_id: runId } }).then((r) => r.data),
        ),
      )
        .then((details) => {
          if (!live) return;
          setRuns((old) => old.map((r) => {
            const d = details.find((x) => x.id === r.id);
            return d ? asRun(d) : r;
          }));
          setDetail((old) => details.find((x) => old && x.id === old.id) ?? old);
          if (details.some((d) => !pending(d))) void loadSummary().catch(() => undefined);
        })
        .catch(() => undefined);
    }, 1000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, [id, pendingKey, loadSummary]);

  if (error && !summary) return <Alert kind="error">{error}</Alert>;
  if (!summary) return <Loading />;
  const programme = summary.programme;

  return (
    <>
      <p>
        <Link to="/team">{t('team.back')}</Link>
      </p>
      <h1>{t('team.programmeTitle', { name: programme.name })}</h1>
      <p className="meta">
        <Badge tone={stateTone(programme.state)}>{t(`state.${programme.state}`)}</Badge>
        {programme.enrolment_deadline !== null && (
          <span> · {t('programmes.deadline', { date: formatDate(programme.enrolment_deadline) })}</span>
        )}
      </p>
      <TeamTabs id={id} current="overview" />
      {created && <Alert kind="success">{t('manage.createdNotice')}</Alert>}
      {error && <Alert kind="error">{error}</Alert>}
      <nav className="page-nav" aria-labelledby="page-nav-title">
        <h2 id="page-nav-title" className="visually-hidden">{t('manage.onThisPage')}</h2>
        <ul>
          <li><a href="#settings">{t('manage.settings')}</a></li>
          <li><a href="#enrolments">{t('manage.enrolments')}</a></li>
          <li><a href="#runs">{t('team.runs')}</a></li>
          <li><a href="#tandems">{t('manage.tandems')}</a></li>
        </ul>
      </nav>
      <SummaryCard summary={summary} />
      <StateCard programme={programme} onChanged={(p) => setSummary({ ...summary, programme: p })} />
      <SettingsCard programme={programme} />
      {(programme.state === 'draft' || programme.state === 'enrolling') && (
        <InviteCard id={id} onInvited={() => {
          setListsVersion((v) => v + 1);
          void loadSummary().catch(() => undefined);
        }} />
      )}
      <EnrolmentsCard programme={programme} reload={listsVersion}
        onChanged={() => void loadSummary().catch(() => undefined)} />
      <div id="runs">
        <RunsCard
          programme={programme}
          runs={runs}
          selected={selected}
          onSelect={setSelected}
          freed={{
            declined: summary.tandems.declined,
            dissolved: summary.tandems.dissolved,
            withdrawn: summary.enrolments.withdrawn,
          }}
          onQueued={(run) => {
            setRuns((old) => [run, ...old.filter((r) => r.id !== run.id)]);
            setSelected(run.id);
            void loadSummary().catch(() => undefined);
          }}
        />
      </div>
      {detail && (
        <RunReview
          programme={programme}
          detail={detail}
          runs={runs}
          rules={rules}
          onRulesChanged={() => void loadRules().catch((e: unknown) => setError(errorText(e)))}
          onPublished={() => {
            void Promise.all([loadSummary(), loadRuns()]).catch(() => undefined);
            setListsVersion((v) => v + 1);
            void call('get', '/api/v1/programmes/{id}/runs/{run_id}', { path: { id, run_id: detail.id } })
              .then((r) => setDetail(r.data))
              .catch(() => undefined);
          }}
        />
      )}
      <TandemsCard programme={programme} reload={listsVersion} />
    </>
  );
}
