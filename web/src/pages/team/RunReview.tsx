// A run's review: proposed pairs with names, score, language, topics and per-topic reasons,
// pin/forbid per pair, unmatched people, ignored pins, demand against supply per topic, the
// comparison with another finished run, publication, and the programme's pair rules.
import { useEffect, useMemo, useState } from 'react';
import { ApiError, call } from '../../api/client';
import type { PairRule, Programme, Run, RunComparison, RunDetail } from '../../api/client';
import { BarChart, PairedBarChart } from '../../components/charts';
import { Alert, Badge, Button, Select, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { pending, topicName } from './runTypes';
import type { ReportJson, ResultJson } from './runTypes';

export function RunReview({ programme, detail, runs, rules, onRulesChanged, onPublished }: {
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
          {(result.fixed_tandems ?? 0) > 0 && (
            <p className="meta">{t('manage.fixedTandems', { count: result.fixed_tandems ?? 0 })}</p>
          )}
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
                    <dl className="pairs team-dl">
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
