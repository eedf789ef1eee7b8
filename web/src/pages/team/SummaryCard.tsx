// The summary of a programme as two bar charts (enrolments as a funnel, tandems by state) and the
// meetings held over every tandem that started (ended ones too): a total and how many reached
// the target (null when that would single out tandems), or, with fewer than five such tandems,
// plainly "too few" and no number (docs/privacy.md).
import type { ProgrammeSummary } from '../../api/client';
import { BarChart } from '../../components/charts';
import { Card } from '../../components/ui';
import { useI18n } from '../../i18n';
import '../../styles/team.css';

export type MeetingsAggregate = ProgrammeSummary['meetings'];

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
      {/* An older server's summary has no meetings. */}
      {summary.meetings !== undefined && (
        <MeetingsHeld meetings={summary.meetings} target={summary.programme.target_meetings_min} />
      )}
    </Card>
  );
}

export function MeetingsHeld({ meetings, target }: { meetings: MeetingsAggregate; target: number }) {
  const { t } = useI18n();
  const hidden = meetings.too_few || meetings.held === null || meetings.reached_target === null;
  return (
    <section className="meetings-summary" aria-labelledby="meetings-summary-title">
      <h3 id="meetings-summary-title">{t('manage.meetings.title')}</h3>
      {hidden ? (
        <>
          <p className="meetings-too-few">{t('manage.meetings.tooFew')}</p>
          <p className="meta">{t('manage.meetings.tooFewWhy')}</p>
        </>
      ) : (
        <dl className="pairs team-dl">
          <dt>{t('manage.meetings.held')}</dt>
          <dd>{meetings.held}</dd>
          <dt>{t('manage.meetings.reached', { min: target })}</dt>
          <dd>{t('manage.meetings.reachedValue', { reached: meetings.reached_target ?? 0, tandems: meetings.tandems })}</dd>
        </dl>
      )}
    </section>
  );
}
