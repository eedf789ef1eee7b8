import { useNavigate } from 'react-router-dom';
import { call } from '../api/client';
import { TokenPasswordPage } from './TokenPassword';

/** The password reset link's page (/reset-password#token=TOKEN): choose a new password. */
export function ResetPasswordPage() {
  const navigate = useNavigate();
  return (
    <TokenPasswordPage
      fragment="token"
      texts={{
        title: 'reset.title',
        intro: 'reset.intro',
        password: 'reset.password',
        submit: 'reset.submit',
        invalid: 'reset.invalid',
        noToken: 'reset.noToken',
      }}
      passwordRequired
      redeem={(token, password) =>
        call('post', '/api/v1/password-resets/redeem', { body: { token, password } }).then(
          (r) => r.data,
        )
      }
      onSignedIn={() => navigate('/programmes', { replace: true })}
    />
  );
}
