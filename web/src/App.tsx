import type { ReactNode } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { Layout } from './components/Layout';
import { Loading } from './components/ui';
import { EnrolmentPage } from './pages/Enrolment';
import { NotFoundPage } from './pages/NotFound';
import { ProgrammesPage } from './pages/Programmes';
import { SignInPage } from './pages/SignIn';
import { TandemsPage } from './pages/Tandems';
import { TeamProgrammePage } from './pages/TeamProgramme';
import { TeamProgrammesPage } from './pages/TeamProgrammes';
import { WelcomePage } from './pages/Welcome';
import { ResetPasswordPage } from './pages/ResetPassword';
import { AdminPage } from './pages/admin/AdminPage';
import { ProfilePage } from './pages/Profile';
import { WorkspacePage } from './pages/workspace/Workspace';
import { MySurveyPage, MySurveysPage } from './pages/reports/MySurveys';
import { useSession } from './session';

/** Pages for signed-in people: others go to /sign-in and come back afterwards. */
function RequireSession({ children }: { children: ReactNode }) {
  const { account } = useSession();
  const location = useLocation();
  if (account === undefined) return <Loading />;
  if (account === null) {
    const next = location.pathname + location.search;
    return <Navigate to={`/sign-in?next=${encodeURIComponent(next)}`} replace />;
  }
  return <>{children}</>;
}

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/programmes" replace />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="welcome" element={<WelcomePage />} />
        <Route path="reset-password" element={<ResetPasswordPage />} />
        <Route path="programmes" element={<RequireSession><ProgrammesPage /></RequireSession>} />
        <Route path="programmes/:id" element={<RequireSession><EnrolmentPage /></RequireSession>} />
        <Route
          path="programmes/:id/enrolment"
          element={<RequireSession><EnrolmentPage /></RequireSession>}
        />
        <Route path="tandems" element={<RequireSession><TandemsPage /></RequireSession>} />
        <Route path="tandems/:id" element={<RequireSession><TandemsPage /></RequireSession>} />
        <Route path="team" element={<RequireSession><TeamProgrammesPage /></RequireSession>} />
        <Route path="team/programmes" element={<Navigate to="/team" replace />} />
        <Route
          path="team/programmes/:id"
          element={<RequireSession><TeamProgrammePage /></RequireSession>}
        />
        <Route path="team/programmes/new" element={<RequireSession><TeamProgrammePage /></RequireSession>} />
        <Route
          path="team/programmes/:id/settings"
          element={<RequireSession><TeamProgrammePage view="settings" /></RequireSession>}
        />
        <Route
          path="team/programmes/:id/asks"
          element={<RequireSession><TeamProgrammePage view="asks" /></RequireSession>}
        />
        <Route
          path="team/programmes/:id/surveys"
          element={<RequireSession><TeamProgrammePage view="surveys" /></RequireSession>}
        />
        <Route
          path="team/programmes/:id/dashboard"
          element={<RequireSession><TeamProgrammePage view="dashboard" /></RequireSession>}
        />
        {/* team routes */}
        <Route path="admin/*" element={<RequireSession><AdminPage /></RequireSession>} />
        <Route path="profile" element={<RequireSession><ProfilePage /></RequireSession>} />
        {/* admin routes */}
        <Route
          path="programmes/:id/partners"
          element={<RequireSession><EnrolmentPage partners /></RequireSession>}
        />
        <Route path="tandems/:id/workspace" element={<RequireSession><WorkspacePage /></RequireSession>} />
        <Route path="surveys" element={<RequireSession><MySurveysPage /></RequireSession>} />
        <Route path="surveys/:id" element={<RequireSession><MySurveyPage /></RequireSession>} />
        {/* participant routes */}
        <Route path="*" element={<NotFoundPage />} />
      </Route>
    </Routes>
  );
}
