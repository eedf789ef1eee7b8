import { NavLink, Outlet, useNavigate } from 'react-router-dom';
import { useI18n, LANGUAGES, type Language } from '../i18n';
import { useSession } from '../session';
import { Button } from './ui';
import '../styles/admin.css';

export function LanguageSwitch() {
  const { t, language } = useI18n();
  const { changeLanguage } = useSession();
  return (
    <div className="lang-switch">
      <label htmlFor="language-select" className="visually-hidden">
        {t('lang.label')}
      </label>
      <select
        id="language-select"
        className="input input-small"
        value={language}
        onChange={(e) => void changeLanguage(e.target.value as Language).catch(() => undefined)}
      >
        {LANGUAGES.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Header with the navigation and the language switch, then the page. */
export function Layout() {
  const { t } = useI18n();
  const { account, signOut } = useSession();
  const navigate = useNavigate();
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <header className="app-header">
        <div className="app-header-inner">
          <NavLink to="/" className="brand">
            {t('app.name')}
          </NavLink>
          {account && (
            <nav aria-label={t('nav.label')} className="main-nav">
              <NavLink to="/programmes">{t('nav.programmes')}</NavLink>
              {account.person_id != null && <NavLink to="/tandems">{t('nav.tandems')}</NavLink>}
              {account.person_id != null && <NavLink to="/surveys">{t('reports.nav.surveys')}</NavLink>}
              <NavLink to="/team">{t('nav.team')}</NavLink>
              {account.system_admin && <NavLink to="/admin">{t('admin.nav')}</NavLink>}
            </nav>
          )}
          <div className="header-tools">
            <LanguageSwitch />
            {account && (
              <NavLink to="/profile" className="profile-link">
                {account.display_name ? (
                  <>
                    <span className="visually-hidden">{t('profile.link')} </span>
                    <span className="profile-link-name">{account.display_name}</span>
                  </>
                ) : (
                  <span className="profile-link-name">{t('profile.title')}</span>
                )}
              </NavLink>
            )}
            {account && (
              <Button
                variant="secondary"
                className="btn-small"
                onClick={() => void signOut().then(() => navigate('/sign-in'))}
              >
                {t('nav.signOut')}
              </Button>
            )}
          </div>
        </div>
      </header>
      <main id="main" className="app-main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
