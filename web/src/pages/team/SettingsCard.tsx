// The programme's settings at a glance on the team page, with the way to change them.
import { Link } from 'react-router-dom';
import type { Programme } from '../../api/client';
import { useI18n } from '../../i18n';
import '../../styles/team.css';

export function SettingsCard({ programme }: { programme: Programme }) {
  const { t, formatDate, language } = useI18n();
  return (
    <section className="card" id="settings" aria-labelledby="settings-title">
      <h2 id="settings-title" className="card-title">{t('manage.settings')}</h2>
      <dl className="pairs team-dl">
        <dt>{t('manage.mode')}</dt>
        <dd>{t(programme.mode === 'open' ? 'manage.mode.open' : 'manage.mode.reverse')}</dd>
        <dt>{t('manage.menteeLevel')}</dt>
        <dd>{programme.mentee_min_level}</dd>
        <dt>{t('manage.term')}</dt>
        <dd>
          {t('manage.termValue', {
            min: programme.term_min_months,
            max: programme.term_max_months,
            mmin: programme.target_meetings_min,
            mmax: programme.target_meetings_max,
          })}
        </dd>
        <dt>{t('manage.meetingCountsShort')}</dt>
        <dd>{t(programme.show_meeting_counts === true ? 'manage.meetingCountsOn' : 'manage.meetingCountsOff')}</dd>
        <dt>{t('reports.settings.minGroupShort')}</dt>
        <dd>{programme.min_group_size ?? 5}</dd>
        <dt>{t('reports.settings.feedback')}</dt>
        <dd>{t(programme.partner_feedback === true ? 'reports.settings.feedbackOn' : 'reports.settings.feedbackOff')}</dd>
        <dt>{t('manage.retentionShort')}</dt>
        <dd>{t('manage.retentionValue', { count: programme.retention_months ?? 12 })}</dd>
        <dt>{t('manage.deadline')}</dt>
        <dd>{programme.enrolment_deadline === null ? t('manage.notSet') : formatDate(programme.enrolment_deadline)}</dd>
        <dt>{t('manage.topics')}</dt>
        <dd>
          <ol className="topic-summary">
            {programme.topics.map((x) => (
              <li key={x.key}>
                {(language === 'de' ? x.name_de : x.name_en) || x.key}
                {x.weight !== 1 && <span className="meta-inline"> ({t('manage.topic.weightValue', { weight: x.weight })})</span>}
              </li>
            ))}
          </ol>
        </dd>
      </dl>
      {/* A closed programme's page still changes whether meetings held per tandem are shown. */}
      <div className="card-actions">
        <Link className="btn btn-secondary" to={`/team/programmes/${programme.id}/settings`}>
          {t('manage.editSettings')}
        </Link>
      </div>
    </section>
  );
}
