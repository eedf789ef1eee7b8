// The summary of a programme as two bar charts: enrolments as a funnel, tandems by state.
import type { ProgrammeSummary } from '../../api/client';
import { BarChart } from '../../components/charts';
import { Card } from '../../components/ui';
import { useI18n } from '../../i18n';

export function SummaryCard({ summary }: { summary: ProgrammeSummary }) {
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
