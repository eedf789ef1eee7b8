// The programme team's page for one programme: the summary (charts), the state actions,
// invitations by filter, the matching runs with their progress, and a run's review (pairs with
// reasons, pin/forbid, unmatched people, demand against supply, comparison, publication).
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, all, call } from '../api/client';
import type { InviteSummary, PairRule, Programme, ProgrammeSummary, Run, RunComparison, RunDetail }
  from '../api/client';
import { BarChart, PairedBarChart } from '../components/charts';
import { Alert, Badge, Button, Card, Loading, Select, TextInput, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import type { Language } from '../i18n';
import { stateTone } from './Programmes';

// The run's result and report are free-form objects in the OpenAPI document; their shape is the
// server's (src/app/lifecycle.cc, Compute) and docs/programme.md.
interface ReasonJson {
  topic: string;
  interest?: number;
  skill?: number;
  points?: number;
}
interface PairJson {
  mentor: number;
  mentee: number;
  score: number;
  topics?: string[];
  reasons?: ReasonJson[];
  pinned?: boolean;
  language?: string | null;
}
interface ResultJson {
  pairs?: PairJson[];
  total_score?: number;
  fixed_tandems?: number;
}
interface ReportJson {
  mentees_wanting?: number;
  mentees_matched?: number;
  mentors_offering?: number;
  mentor_capacity_offered?: number;
  mentor_capacity_used?: number;
  tandems?: number;
  total_score?: number;
  mean_score?: number;
  blocking_pairs?: number;
  pins_ignored?: { mentor: number; mentee: number; reason: string }[];
  unmatched?: { person: number; role: string; reason: string }[];
  topics?: { key: string; name_de: string; name_en: string; demand: number; supply: number }[];
}

const pending = (r: { state: Run['state'] }) => r.state === 'queued' || r.state === 'running';

function runTone(state: Run['state']): 'neutral' | 'good' | 'warn' | 'bad' {
  return state === 'done' ? 'good' : state === 'failed' ? 'bad' : 'warn';
}

function topicName(programme: Programme, key: string, language: Language): string {
  const topic = programme.topics.find((x) => x.key === key);
  if (!topic) return key;
  return (language === 'de' ? topic.name_de : topic.name_en) || key;
}

function asRun(d: RunDetail): Run {
  const { result: _r, report: _p, people: _q, ...run } = d;
  return run;
}

export function TeamProgrammePage() {
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
      {error && <Alert kind="error">{error}</Alert>}
      <SummaryCard summary={summary} />
      <StateCard programme={programme} onChanged={(p) => setSummary({ ...summary, programme: p })} />
      {(programme.state === 'draft' || programme.state === 'enrolling') && <InviteCard id={id} />}
      <RunsCard
        programme={programme}
        runs={runs}
        selected={selected}
        onSelect={setSelected}
        onQueued={(run) => {
          setRuns((old) => [run, ...old.filter((r) => r.id !== run.id)]);
          setSelected(run.id);
          void loadSummary().catch(() => undefined);
        }}
      />
      {detail && (
        <RunReview
          programme={programme}
          detail={detail}
          runs={runs}
          rules={rules}
          onRulesChanged={() => void loadRules().catch((e: unknown) => setError(errorText(e)))}
          onPublished={() => {
            void Promise.all([loadSummary(), loadRuns()]).catch(() => undefined);
            void call('get', '/api/v1/programmes/{id}/runs/{run_id}', { path: { id, run_id: detail.id } })
              .then((r) => setDetail(r.data))
              .catch(() => undefined);
          }}
        />
      )}
    </>
  );
}

function SummaryCard({ summary }: { summary: ProgrammeSummary }) {
  const { t } = useI18n();
  const e = summary.enrolments;
  const tn = summary.tandems;
  return (
    <Card title={t('team.summary')}>
      <div className="chart-row">
        <BarChart
          title={t('team.enrolments')}
          bars={[
            { label: t('team.count.invited'), value: e.invited + e.enrolled + e.withdrawn, tone: 'd' },
            { label: t('team.count.enrolled'), value: e.enrolled, tone: 'a' },
            { label: t('team.count.mentors'), value: e.mentors, tone: 'b' },
            { label: t('team.count.mentees'), value: e.mentees, tone: 'b' },
            { label: t('team.count.withdrawn'), value: e.withdrawn, tone: 'c' },
          ]}
        />
        <BarChart
          title={t('team.tandems')}
          bars={[
            { label: t('tandem.state.proposed'), value: tn.proposed, tone: 'a' },
            { label: t('tandem.state.active'), value: tn.active, tone: 'b' },
            { label: t('tandem.state.completed'), value: tn.completed, tone: 'b' },
            { label: t('tandem.state.declined'), value: tn.declined, tone: 'c' },
            { label: t('tandem.state.dissolved'), value: tn.dissolved, tone: 'd' },
          ]}
        />
      </div>
      <p className="meta">
        {t('team.invitedOpen', { count: e.invited })} ·{' '}
        {t('team.runsCount', { total: summary.runs.total, pending: summary.runs.pending })}
      </p>
    </Card>
  );
}

function StateCard({ programme, onChanged }: { programme: Programme; onChanged: (p: Programme) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  // Read once per render of a draft: whether the deadline is still ahead.
  const deadlineAhead = programme.enrolment_deadline !== null && programme.enrolment_deadline > Date.now();

  const act = async (action: 'open' | 'close') => {
    setBusy(true);
    setMessage(null);
    try {
      const r = action === 'open'
        ? await call('post', '/api/v1/programmes/{id}/open', { path: { id: programme.id } })
        : await call('post', '/api/v1/programmes/{id}/close', { path: { id: programme.id } });
      onChanged(r.data);
      setMessage({ kind: 'success', text: t(action === 'open' ? 'team.opened' : 'team.closed') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  if (programme.state === 'closed') {
    return (
      <Card title={t('team.state')}>
        <p>{t('team.isClosed')}</p>
      </Card>
    );
  }
  return (
    <Card title={t('team.state')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {programme.state === 'draft' && !deadlineAhead && <p className="meta">{t('team.needDeadline')}</p>}
      <div className="card-actions">
        {programme.state === 'draft' && (
          <Button busy={busy} disabled={!deadlineAhead} onClick={() => void act('open')}>
            {t('team.open')}
          </Button>
        )}
        {!confirming && (
          <Button variant="secondary" busy={busy} onClick={() => setConfirming(true)}>
            {t('team.close')}
          </Button>
        )}
        {confirming && (
          <>
            <span role="status">{t('team.closeConfirmText')}</span>
            <Button variant="danger" busy={busy} onClick={() => void act('close')}>
              {t('team.closeConfirm')}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t('tandems.cancel')}
            </Button>
          </>
        )}
      </div>
    </Card>
  );
}

function InviteCard({ id }: { id: number }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [levelMin, setLevelMin] = useState('');
  const [levelMax, setLevelMax] = useState('');
  const [department, setDepartment] = useState('');
  const [location, setLocation] = useState('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<InviteSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setAnswer(null);
    const filter: { level_min?: number; level_max?: number; department?: string; location?: string } = {};
    if (levelMin.trim()) filter.level_min = Number(levelMin);
    if (levelMax.trim()) filter.level_max = Number(levelMax);
    if (department.trim()) filter.department = department.trim();
    if (location.trim()) filter.location = location.trim();
    try {
      const r = await call('post', '/api/v1/programmes/{id}/invitations', { path: { id }, body: { filter } });
      setAnswer(r.data);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('team.invite')}>
      <form onSubmit={(e) => void submit(e)}>
        <p className="meta">{t('team.inviteIntro')}</p>
        <div className="grid-2">
          <TextInput label={t('team.levelMin')} type="number" inputMode="numeric" value={levelMin}
            onChange={(e) => setLevelMin(e.target.value)} />
          <TextInput label={t('team.levelMax')} type="number" inputMode="numeric" value={levelMax}
            onChange={(e) => setLevelMax(e.target.value)} />
          <TextInput label={t('team.department')} value={department} onChange={(e) => setDepartment(e.target.value)} />
          <TextInput label={t('team.location')} value={location} onChange={(e) => setLocation(e.target.value)} />
        </div>
        {error && <Alert kind="error">{error}</Alert>}
        {answer && (
          <Alert kind="success">
            {t('team.inviteAnswer', {
              invited: answer.invited,
              already: answer.already,
              without: answer.without_email,
            })}
          </Alert>
        )}
        <Button type="submit" busy={busy}>{t('team.inviteSubmit')}</Button>
      </form>
    </Card>
  );
}

function RunsCard({ programme, runs, selected, onSelect, onQueued }: {
  programme: Programme;
  runs: Run[];
  selected: number | null;
  onSelect: (id: number) => void;
  onQueued: (run: Run) => void;
}) {
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [objective, setObjective] = useState<'optimal' | 'stable'>('optimal');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canRun = programme.state === 'enrolling' || programme.state === 'matching' || programme.state === 'running';

  const queue = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('post', '/api/v1/programmes/{id}/runs', { path: { id: programme.id }, body: { objective } });
      onQueued(r.data);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('team.runs')}>
      {canRun ? (
        <div className="inline-form">
          <Select label={t('team.objective')} value={objective}
            onChange={(e) => setObjective(e.target.value as 'optimal' | 'stable')}>
            <option value="optimal">{t('team.objective.optimal')}</option>
            <option value="stable">{t('team.objective.stable')}</option>
          </Select>
          <Button busy={busy} onClick={() => void queue()}>{t('team.queueRun')}</Button>
        </div>
      ) : (
        <p className="meta">{t('team.runsWhen')}</p>
      )}
      {error && <Alert kind="error">{error}</Alert>}
      {runs.length === 0 ? (
        <p>{t('team.noRuns')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('team.runs')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('team.run')}</th>
                <th scope="col">{t('team.objective')}</th>
                <th scope="col">{t('team.runState')}</th>
                <th scope="col">{t('team.progress')}</th>
                <th scope="col">{t('team.created')}</th>
                <th scope="col"><span className="visually-hidden">{t('team.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {runs.map((r) => (
                <tr key={r.id} aria-current={r.id === selected ? 'true' : undefined}>
                  <th scope="row">#{r.id}</th>
                  <td>{t(r.objective === 'stable' ? 'team.objective.stable' : 'team.objective.optimal')}</td>
                  <td>
                    <Badge tone={runTone(r.state)}>{t(`team.runState.${r.state}`)}</Badge>
                    {r.published_at !== null && <> <Badge tone="good">{t('team.published')}</Badge></>}
                    {r.state === 'failed' && r.error && <div className="meta">{r.error}</div>}
                  </td>
                  <td><RunProgress run={r} /></td>
                  <td>{formatDate(r.created_at)}</td>
                  <td>
                    <Button variant="secondary" className="btn-small" onClick={() => onSelect(r.id)}
                      aria-label={t('team.reviewRun', { id: r.id })} aria-pressed={r.id === selected}>
                      {t('team.review')}
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}

function RunProgress({ run }: { run: Run }) {
  const { t } = useI18n();
  if (!pending(run)) return <span>{run.state === 'done' ? '100 %' : '–'}</span>;
  const phase = t(`team.phase.${Math.min(Math.max(run.phase, 0), 3) as 0 | 1 | 2 | 3}`);
  const label = t('team.progressOf', { id: run.id });
  return (
    <div className="run-progress">
      {run.progress_total > 0 ? (
        <progress aria-label={label} value={run.progress_done} max={run.progress_total} />
      ) : (
        <progress aria-label={label} />
      )}
      <span className="meta">
        {phase}
        {run.progress_total > 0 && ` · ${run.progress_done}/${run.progress_total}`}
      </span>
    </div>
  );
}

function RunReview({ programme, detail, runs, rules, onRulesChanged, onPublished }: {
  programme: Programme;
  detail: RunDetail;
  runs: Run[];
  rules: PairRule[];
  onRulesChanged: () => void;
  onPublished: () => void;
}) {
  const { t, language } = useI18n();
  const errorText = useErrorText();
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [other, setOther] = useState<string>('');
  const [comparison, setComparison] = useState<RunComparison | null>(null);

  const names = useMemo(() => new Map(detail.people.map((p) => [p.id, p.name])), [detail.people]);
  const nameOf = (pid: number) => names.get(pid) ?? `#${pid}`;
  const result = (detail.result ?? {}) as unknown as ResultJson;
  const report = (detail.report ?? {}) as unknown as ReportJson;
  const pairs = result.pairs ?? [];
  const others = runs.filter((r) => r.id !== detail.id && r.state === 'done');

  useEffect(() => {
    setComparison(null);
    setMessage(null);
  }, [detail.id]);

  const ruleOf = (mentor: number, mentee: number) =>
    rules.find((r) => r.mentor_id === mentor && r.mentee_id === mentee)?.kind;

  const setRule = async (mentor: number, mentee: number, kind: 'pin' | 'forbid') => {
    setBusy(`${kind}-${mentor}-${mentee}`);
    setMessage(null);
    try {
      if (ruleOf(mentor, mentee) === kind) {
        await call('delete', '/api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}', {
          path: { id: programme.id, mentor_id: mentor, mentee_id: mentee },
        });
      } else {
        await call('put', '/api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}', {
          path: { id: programme.id, mentor_id: mentor, mentee_id: mentee },
          body: { kind },
        });
      }
      onRulesChanged();
      setMessage({ kind: 'success', text: t('team.ruleSaved') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  const publish = async () => {
    setBusy('publish');
    setMessage(null);
    try {
      const r = await call('post', '/api/v1/programmes/{id}/runs/{run_id}/publish', {
        path: { id: programme.id, run_id: detail.id },
      });
      setMessage({ kind: 'success', text: t('team.publishedAnswer', { tandems: r.data.tandems, mails: r.data.mails }) });
      onPublished();
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof ApiError ? e.message : errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  const compare = async () => {
    if (!other) return;
    setBusy('compare');
    setMessage(null);
    try {
      const r = await call('get', '/api/v1/programmes/{id}/runs/{run_id}/compare/{other_id}', {
        path: { id: programme.id, run_id: detail.id, other_id: Number(other) },
      });
      setComparison(r.data);
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card review" aria-labelledby="review-title">
      <h2 id="review-title" className="card-title">{t('team.reviewTitle', { id: detail.id })}</h2>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {pending(detail) && (
        <p role="status">{t('team.runPending')}</p>
      )}
      {detail.state === 'failed' && <Alert kind="error">{t('team.runFailed', { error: detail.error })}</Alert>}
      {detail.state === 'done' && (
        <>
          <p className="meta">
            {t('team.reportLine', {
              tandems: report.tandems ?? pairs.length,
              total: result.total_score ?? 0,
              matched: report.mentees_matched ?? 0,
              wanting: report.mentees_wanting ?? 0,
            })}
          </p>
          <div className="card-actions">
            <Button busy={busy === 'publish'} disabled={detail.published_at !== null} onClick={() => void publish()}>
              {detail.published_at !== null ? t('team.published') : t('team.publish')}
            </Button>
          </div>

          <h3>{t('team.pairs')}</h3>
          {pairs.length === 0 ? (
            <p>{t('team.noPairs')}</p>
          ) : (
            <ul className="pair-list" aria-label={t('team.pairs')}>
              {pairs.map((p) => {
                const rule = ruleOf(p.mentor, p.mentee);
                const who = `${nameOf(p.mentor)} – ${nameOf(p.mentee)}`;
                return (
                  <li key={`${p.mentor}-${p.mentee}`} className="pair">
                    <dl className="pairs">
                      <dt>{t('tandems.mentor')}</dt>
                      <dd>{nameOf(p.mentor)}</dd>
                      <dt>{t('tandems.mentee')}</dt>
                      <dd>{nameOf(p.mentee)}</dd>
                      <dt>{t('team.score')}</dt>
                      <dd>
                        {p.score}
                        {p.pinned && <> <Badge tone="warn">{t('team.pinned')}</Badge></>}
                        {p.language && <span className="meta"> · {t('team.language', { language: p.language })}</span>}
                      </dd>
                      <dt>{t('tandems.topics')}</dt>
                      <dd>{(p.topics ?? []).map((k) => topicName(programme, k, language)).join(', ') || '–'}</dd>
                    </dl>
                    {(p.reasons ?? []).length > 0 && (
                      <ul className="reasons" aria-label={t('team.reasonsOf', { who })}>
                        {(p.reasons ?? []).map((r) => (
                          <li key={r.topic}>
                            {t('team.reason', {
                              topic: topicName(programme, r.topic, language),
                              interest: r.interest ?? 0,
                              skill: r.skill ?? 0,
                              points: r.points ?? 0,
                            })}
                          </li>
                        ))}
                      </ul>
                    )}
                    <div className="card-actions">
                      <Button variant="secondary" className="btn-small" aria-pressed={rule === 'pin'}
                        busy={busy === `pin-${p.mentor}-${p.mentee}`}
                        aria-label={t('team.pinNamed', { who })}
                        onClick={() => void setRule(p.mentor, p.mentee, 'pin')}>
                        {rule === 'pin' ? t('team.unpin') : t('team.pin')}
                      </Button>
                      <Button variant="secondary" className="btn-small" aria-pressed={rule === 'forbid'}
                        busy={busy === `forbid-${p.mentor}-${p.mentee}`}
                        aria-label={t('team.forbidNamed', { who })}
                        onClick={() => void setRule(p.mentor, p.mentee, 'forbid')}>
                        {rule === 'forbid' ? t('team.unforbid') : t('team.forbid')}
                      </Button>
                    </div>
                  </li>
                );
              })}
            </ul>
          )}

          <h3>{t('team.unmatched')}</h3>
          {(report.unmatched ?? []).length === 0 ? (
            <p>{t('team.noUnmatched')}</p>
          ) : (
            <ul aria-label={t('team.unmatched')}>
              {(report.unmatched ?? []).map((u) => (
                <li key={`${u.person}-${u.role}`}>
                  <strong>{nameOf(u.person)}</strong> ({u.role === 'mentor' ? t('tandems.mentor') : t('tandems.mentee')}):{' '}
                  {u.reason}
                </li>
              ))}
            </ul>
          )}
          {(report.pins_ignored ?? []).length > 0 && (
            <>
              <h3>{t('team.pinsIgnored')}</h3>
              <ul>
                {(report.pins_ignored ?? []).map((u) => (
                  <li key={`${u.mentor}-${u.mentee}`}>
                    {nameOf(u.mentor)} – {nameOf(u.mentee)}: {u.reason}
                  </li>
                ))}
              </ul>
            </>
          )}

          {(report.topics ?? []).length > 0 && (
            <PairedBarChart
              className="chart-demand"
              title={t('team.demandSupply')}
              aLabel={t('team.demand')}
              bLabel={t('team.supply')}
              rows={(report.topics ?? []).map((x) => ({
                label: (language === 'de' ? x.name_de : x.name_en) || x.key,
                a: x.demand,
                b: x.supply,
              }))}
            />
          )}

          <h3>{t('team.compare')}</h3>
          {others.length === 0 ? (
            <p className="meta">{t('team.compareNone')}</p>
          ) : (
            <div className="inline-form">
              <Select label={t('team.compareWith')} value={other} onChange={(e) => setOther(e.target.value)}>
                <option value="">–</option>
                {others.map((r) => (
                  <option key={r.id} value={r.id}>#{r.id} ({t(r.objective === 'stable' ? 'team.objective.stable' : 'team.objective.optimal')})</option>
                ))}
              </Select>
              <Button variant="secondary" busy={busy === 'compare'} disabled={!other} onClick={() => void compare()}>
                {t('team.compareSubmit')}
              </Button>
            </div>
          )}
          {comparison && <ComparisonView comparison={comparison} />}
        </>
      )}
      <PairRulesList programme={programme} rules={rules} nameOf={nameOf} onChanged={onRulesChanged} />
    </section>
  );
}

function ComparisonView({ comparison: c }: { comparison: RunComparison }) {
  const { t } = useI18n();
  const names = new Map(c.people.map((p) => [p.id, p.name]));
  const nameOf = (pid: number) => names.get(pid) ?? `#${pid}`;
  const list = (items: RunComparison['only_a']) =>
    items.length === 0 ? <p className="meta">–</p> : (
      <ul>
        {items.map((p) => (
          <li key={`${p.mentor}-${p.mentee}`}>
            {nameOf(p.mentor)} – {nameOf(p.mentee)} ({t('team.score')} {p.score})
          </li>
        ))}
      </ul>
    );
  return (
    <div className="comparison" role="region" aria-label={t('team.compareTitle', { a: c.a, b: c.b })}>
      <BarChart
        title={t('team.compareTitle', { a: c.a, b: c.b })}
        bars={[
          { label: t('team.compareTotal', { id: c.a }), value: c.a_total, tone: 'a' },
          { label: t('team.compareTotal', { id: c.b }), value: c.b_total, tone: 'b' },
        ]}
      />
      <p className="meta">{t('team.compareCounts', { a: c.a, ap: c.a_pairs, b: c.b, bp: c.b_pairs, both: c.in_both })}</p>
      <div className="grid-2">
        <div>
          <h4>{t('team.onlyIn', { id: c.a })}</h4>
          {list(c.only_a)}
        </div>
        <div>
          <h4>{t('team.onlyIn', { id: c.b })}</h4>
          {list(c.only_b)}
        </div>
      </div>
    </div>
  );
}

function PairRulesList({ programme, rules, nameOf, onChanged }: {
  programme: Programme;
  rules: PairRule[];
  nameOf: (id: number) => string;
  onChanged: () => void;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [error, setError] = useState<string | null>(null);
  if (rules.length === 0) return null;
  const remove = async (r: PairRule) => {
    setError(null);
    try {
      await call('delete', '/api/v1/programmes/{id}/pair-rules/{mentor_id}/{mentee_id}', {
        path: { id: programme.id, mentor_id: r.mentor_id, mentee_id: r.mentee_id },
      });
      onChanged();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <>
      <h3>{t('team.rules')}</h3>
      {error && <Alert kind="error">{error}</Alert>}
      <ul className="rule-list">
        {rules.map((r) => {
          const who = `${nameOf(r.mentor_id)} – ${nameOf(r.mentee_id)}`;
          return (
            <li key={`${r.mentor_id}-${r.mentee_id}`}>
              <Badge tone={r.kind === 'pin' ? 'warn' : 'bad'}>{t(r.kind === 'pin' ? 'team.pinned' : 'team.forbidden')}</Badge>{' '}
              {who}{' '}
              <Button variant="link" className="btn-small" aria-label={t('team.ruleRemoveNamed', { who })}
                onClick={() => void remove(r)}>
                {t('team.ruleRemove')}
              </Button>
            </li>
          );
        })}
      </ul>
    </>
  );
}
