import { useLocation, useNavigate } from 'react-router-dom';
import { call } from '../api/client';
import { TokenPasswordPage } from './TokenPassword';
import { nextPath } from './tokens';

/** The invitation link's page (/welcome?next=/programmes/3#invitation=TOKEN): the password is optional. */
export function WelcomePage() {
  const location = useLocation();
  const navigate = useNavigate();
  return (
    <TokenPasswordPage
      fragment="invitation"
      texts={{
        title: 'welcome.title',
        intro: 'welcome.intro',
        password: 'welcome.password',
        submit: 'welcome.submit',
        invalid: 'welcome.invalid',
        noToken: 'welcome.noToken',
      }}
      passwordRequired={false}
      redeem={(token, password) =>
        call('post', '/api/v1/invitations/redeem', {
          body: password ? { token, password } : { token },
        }).then((r) => r.data)
      }
      onSignedIn={() => navigate(nextPath(location.search), { replace: true })}
    />
  );
}
