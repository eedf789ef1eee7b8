import { useCallback, useEffect, useState } from 'react';
import { call } from '../api/client';
import type { Tandem } from '../api/client';
import { Alert, Badge, Button, Card, Loading, TextArea, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import { useSession } from '../session';

function tone(state: Tandem['state']): 'good' | 'warn' | 'bad' | 'neutral' {
  if (state === 'active') return 'good';
  if (state === 'proposed' || state === 'accepted_by_one') return 'warn';
  if (state === 'declined' || state === 'dissolved') return 'bad';
  return 'neutral';
}

function TandemCard({ tandem, onChange }: { tandem: Tandem; onChange: (t: Tandem) => void }) {
  const { t } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const iAmMentor = account?.person_id === tandem.mentor.id;
  const mine = iAmMentor ? tandem.mentor_accepted_at : tandem.mentee_accepted_at;
  const open = tandem.state === 'proposed' || tandem.state === 'accepted_by_one';

  const act = async (what: 'accept' | 'decline') => {
    setBusy(true);
    setError(null);
    try {
      const r =
        what === 'accept'
          ? await call('post', '/api/v1/tandems/{id}/accept', { path: { id: tandem.id } })
          : await call('post', '/api/v1/tandems/{id}/decline', {
              path: { id: tandem.id },
              body: reason ? { reason } : {},
            });
      onChange(r.data);
      setDeclining(false);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card
      title={`${tandem.mentor.name} · ${tandem.mentee.name}`}
      actions={
        open && !mine && !declining ? (
          <>
            <Button busy={busy} onClick={() => void act('accept')}>
              {t('tandems.accept')}
            </Button>
            <Button variant="secondary" disabled={busy} onClick={() => setDeclining(true)}>
              {t('tandems.decline')}
            </Button>
          </>
        ) : undefined
      }
    >
      <p className="meta">
        <Badge tone={tone(tandem.state)}>{t(`tandem.state.${tandem.state}`)}</Badge>{' '}
        <span>{tandem.programme_name}</span>
      </p>
      <dl className="pairs">
        <dt>{t('tandems.mentor')}</dt>
        <dd>{tandem.mentor.name}</dd>
        <dt>{t('tandems.mentee')}</dt>
        <dd>{tandem.mentee.name}</dd>
        <dt>{t('tandems.topics')}</dt>
        <dd>{tandem.topics.join(', ') || '—'}</dd>
      </dl>
      {tandem.reasons.some((r) => r.experience) && (
        <ul className="reasons">
          {tandem.reasons
            .filter((r) => r.experience)
            .map((r) => (
              <li key={r.topic}>
                <strong>{r.topic}:</strong> {r.experience}
              </li>
            ))}
        </ul>
      )}
      {open && mine && <p>{t('tandems.youAccepted')}</p>}
      {error && <Alert kind="error">{error}</Alert>}
      {declining && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void act('decline');
          }}
        >
          <TextArea
            label={t('tandems.declineReason')}
            value={reason}
            maxLength={1000}
            onChange={(e) => setReason(e.target.value)}
          />
          <div className="card-actions">
            <Button type="submit" variant="danger" busy={busy}>
              {t('tandems.declineConfirm')}
            </Button>
            <Button variant="secondary" onClick={() => setDeclining(false)}>
              {t('tandems.cancel')}
            </Button>
          </div>
        </form>
      )}
    </Card>
  );
}

export function TandemsPage() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [tandems, setTandems] = useState<Tandem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    call('get', '/api/v1/tandems')
      .then((r) => live && setTandems(r.data.items))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [errorText]);

  const replace = useCallback(
    (changed: Tandem) => setTandems((list) => list?.map((x) => (x.id === changed.id ? changed : x)) ?? null),
    [],
  );

  return (
    <>
      <h1>{t('tandems.title')}</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!tandems && !error && <Loading />}
      {tandems && tandems.length === 0 && <p>{t('tandems.empty')}</p>}
      {tandems && tandems.length > 0 && (
        <ul className="card-list" aria-label={t('tandems.title')}>
          {tandems.map((x) => (
            <li key={x.id}>
              <TandemCard tandem={x} onChange={replace} />
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
