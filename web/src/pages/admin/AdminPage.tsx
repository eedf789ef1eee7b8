// /admin: the system administrator's pages. Sections are sub-routes (people, programmes, tokens,
// audit) under one heading and one section navigation. Anyone else sees a plain "not allowed".
import { Navigate, NavLink, Route, Routes } from 'react-router-dom';
import { Alert } from '../../components/ui';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { AuditSection } from './Audit';
import { PeopleSection } from './People';
import { ProgrammeAdminsSection } from './ProgrammeAdmins';
import { TokensSection } from './Tokens';
import '../../styles/admin.css';

export function AdminPage() {
  const { t } = useI18n();
  const { account } = useSession();
  if (!account?.system_admin) {
    return (
      <>
        <h1>{t('admin.title')}</h1>
        <Alert kind="info">{t('admin.notAllowed')}</Alert>
      </>
    );
  }
  return (
    <>
      <h1>{t('admin.title')}</h1>
      <nav aria-label={t('admin.sections')} className="admin-tabs">
        <NavLink to="/admin/people">{t('admin.people.title')}</NavLink>
        <NavLink to="/admin/programmes">{t('admin.programmes.title')}</NavLink>
        <NavLink to="/admin/tokens">{t('admin.tokens.title')}</NavLink>
        <NavLink to="/admin/audit">{t('admin.audit.title')}</NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to="people" replace />} />
        <Route path="people" element={<PeopleSection />} />
        <Route path="programmes" element={<ProgrammeAdminsSection />} />
        <Route path="tokens" element={<TokensSection />} />
        <Route path="audit" element={<AuditSection />} />
        <Route path="*" element={<Navigate to="people" replace />} />
      </Routes>
    </>
  );
}
