// The matching runs: start one (objective optimal or stable), the list with state, phase and
// progress, and the choice of the run to review. Once a run is published, a new run is a rematch
// (standing tandems stay fixed): the card says so and names the action after it.
import { useState } from 'react';
import { call } from '../../api/client';
import type { Programme, Run } from '../../api/client';
import { Alert, Badge, Button, Card, Select, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import '../../styles/team.css';
import { pending, runTone } from './runTypes';

export function RunsCard({ programme, runs, selected, onSelect, onQueued, freed }: {
  programme: Programme;
  runs: Run[];
  selected: number | null;
  onSelect: (id: number) => void;
  onQueued: (run: Run) => void;
  /** What has freed people since publication (the summary's counts). */
  freed: { declined: number; dissolved: number; withdrawn: number };
}) {
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [objective, setObjective] = useState<'optimal' | 'stable'>('optimal');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const canRun = programme.state === 'enrolling' || programme.state === 'matching' || programme.state === 'running';
  const published = runs.find((r) => r.published_at !== null);

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
      {canRun && published && (
        <div className="rematch" id="rematch">
          <h3>{t('manage.rematch.title')}</h3>
          <p>{t('manage.rematch.text', { id: published.id })}</p>
          <p className="meta">{t('manage.rematch.counts', freed)}</p>
        </div>
      )}
      {canRun ? (
        <div className="inline-form">
          <Select label={t('team.objective')} value={objective}
            onChange={(e) => setObjective(e.target.value as 'optimal' | 'stable')}>
            <option value="optimal">{t('team.objective.optimal')}</option>
            <option value="stable">{t('team.objective.stable')}</option>
          </Select>
          <Button busy={busy} onClick={() => void queue()}>
            {published ? t('manage.rematch.button') : t('team.queueRun')}
          </Button>
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
