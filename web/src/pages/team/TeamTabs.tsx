// The views of one programme for its team, as links that look like tabs: the overview (summary,
// settings, invitations, runs, tandems) and the asks to leadership. Each is its own address.
import { Link } from 'react-router-dom';
import { useI18n } from '../../i18n';
import '../../styles/team.css';

export function TeamTabs({ id, current }: { id: number; current: 'overview' | 'asks' | 'surveys' | 'dashboard' }) {
  const { t } = useI18n();
  const tabs = [
    { key: 'overview', to: `/team/programmes/${id}`, label: t('asks.tab.overview') },
    { key: 'asks', to: `/team/programmes/${id}/asks`, label: t('asks.tab.asks') },
    { key: 'surveys', to: `/team/programmes/${id}/surveys`, label: t('reports.tab.surveys') },
    { key: 'dashboard', to: `/team/programmes/${id}/dashboard`, label: t('reports.tab.dashboard') },
  ] as const;
  return (
    <nav className="team-tabs" aria-label={t('asks.tab.label')}>
      <ul>
        {tabs.map((x) => (
          <li key={x.key}>
            <Link to={x.to} aria-current={x.key === current ? 'page' : undefined}
              className={x.key === current ? 'team-tab team-tab-current' : 'team-tab'}>
              {x.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  );
}
