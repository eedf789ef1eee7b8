import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { all, call } from '../api/client';
import type { Programme, Tandem } from '../api/client';
import { Alert, Badge, Button, Loading, TextArea, useErrorText } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import { MatchReasons, useTopicName } from './participant/shared';
import '../styles/participant.css';

function tone(state: Tandem['state']): 'good' | 'warn' | 'bad' | 'neutral' {
  if (state === 'active') return 'good';
  if (state === 'proposed' || state === 'accepted_by_one') return 'warn';
  if (state === 'declined' || state === 'dissolved') return 'bad';
  return 'neutral';
}

/** The reader's side of a tandem: their role, the partner, whether they have answered. */
function sides(tandem: Tandem, personId: number | null | undefined) {
  const iAmMentor = personId === tandem.mentor.id;
  const partner = iAmMentor ? tandem.mentee : tandem.mentor;
  const mine = iAmMentor ? tandem.mentor_accepted_at : tandem.mentee_accepted_at;
  const theirs = iAmMentor ? tandem.mentee_accepted_at : tandem.mentor_accepted_at;
  const open = tandem.state === 'proposed' || tandem.state === 'accepted_by_one';
  return { iAmMentor, partner, mine, theirs, open, waitingForMe: open && !mine, waitingForPartner: open && !!mine };
}

/** One sentence on where the tandem stands, from the reader's side. */
function standing(tandem: Tandem, personId: number | null | undefined): MessageKey {
  const s = sides(tandem, personId);
  if (tandem.state === 'active') return 'participant.tandem.activeText';
  if (tandem.state === 'completed') return 'participant.tandem.completedText';
  if (tandem.state === 'declined') return 'participant.tandem.declinedText';
  if (tandem.state === 'dissolved') return 'participant.tandem.dissolvedText';
  if (tandem.origin === 'request') {
    return s.waitingForMe ? 'participant.tandem.requestToYou' : 'participant.tandem.requestByYou';
  }
  return s.waitingForMe
    ? s.theirs
      ? 'participant.tandem.proposedPartnerAccepted'
      : 'participant.tandem.proposedText'
    : 'participant.tandem.youAcceptedText';
}

function TandemView({
  tandem,
  onChange,
  topicName,
  headingLevel,
  detailLink,
}: {
  tandem: Tandem;
  onChange: (t: Tandem) => void;
  topicName: (programmeId: number, key: string) => string;
  /** The level of the partner's heading; the reasons' heading comes one below. */
  headingLevel: 2 | 3;
  detailLink: boolean;
}) {
  const { t, formatDate } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [declining, setDeclining] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<MessageKey | null>(null);
  const declineButton = useRef<HTMLButtonElement>(null);
  const reasonBox = useRef<HTMLDivElement>(null);
  const doneMessage = useRef<HTMLDivElement>(null);
  const headingId = useId();
  const s = sides(tandem, account?.person_id);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const partnerRole = s.iAmMentor ? t('tandems.mentee') : t('tandems.mentor');

  useEffect(() => {
    if (declining) reasonBox.current?.querySelector('textarea')?.focus();
  }, [declining]);
  useEffect(() => {
    if (done) doneMessage.current?.focus();
  }, [done]);

  const act = async (what: 'accept' | 'decline') => {
    setBusy(true);
    setError(null);
    try {
      const r =
        what === 'accept'
          ? await call('post', '/api/v1/tandems/{id}/accept', { path: { id: tandem.id } })
          : await call('post', '/api/v1/tandems/{id}/decline', {
              path: { id: tandem.id },
              body: reason.trim() ? { reason: reason.trim() } : {},
            });
      setDeclining(false);
      setDone(
        what === 'decline'
          ? 'participant.tandem.declinedDone'
          : r.data.state === 'active'
            ? 'participant.tandem.acceptedActive'
            : 'participant.tandem.acceptedWaiting',
      );
      onChange(r.data);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card p-tandem" aria-labelledby={headingId}>
      <Heading id={headingId} className="card-title">
        {detailLink ? t('participant.tandem.with', { name: s.partner.name }) : tandem.programme_name}
      </Heading>
      <p className="meta p-badges">
        <Badge tone={tone(tandem.state)}>{t(`tandem.state.${tandem.state}`)}</Badge>{' '}
        {detailLink && <span>{tandem.programme_name}</span>}
      </p>
      <p className="p-role">
        {t(s.iAmMentor ? 'participant.tandem.youMentor' : 'participant.tandem.youMentee', {
          name: s.partner.name,
        })}
      </p>
      <dl className="pairs">
        <dt>{partnerRole}</dt>
        <dd>{s.partner.name}</dd>
        <dt>{t('tandems.topics')}</dt>
        <dd>{tandem.topics.map((k) => topicName(tandem.programme_id, k)).join(', ') || '—'}</dd>
        <dt>{t('participant.tandem.origin')}</dt>
        <dd>
          {tandem.origin === 'request'
            ? t('participant.tandem.originRequest', { date: formatDate(tandem.created_at) })
            : t('participant.tandem.originRun', { date: formatDate(tandem.created_at) })}
        </dd>
      </dl>
      <p>{t(standing(tandem, account?.person_id), { name: s.partner.name })}</p>
      <MatchReasons
        reasons={tandem.reasons}
        mentor={tandem.mentor.name}
        mentee={tandem.mentee.name}
        me={s.iAmMentor ? 'mentor' : 'mentee'}
        topicName={(k) => topicName(tandem.programme_id, k)}
        headingLevel={headingLevel === 2 ? 3 : 4}
      />
      {done && (
        <div className="alert alert-success p-focus-target" role="status" tabIndex={-1} ref={doneMessage}>
          {t(done, { name: s.partner.name })}
        </div>
      )}
      {error && <Alert kind="error">{error}</Alert>}
      {s.waitingForMe && !declining && (
        <div className="card-actions">
          <Button
            busy={busy}
            onClick={() => void act('accept')}
            aria-label={t('participant.tandem.acceptNamed', { name: s.partner.name })}
          >
            {t('tandems.accept')}
          </Button>
          <button
            ref={declineButton}
            type="button"
            className="btn btn-secondary"
            disabled={busy}
            onClick={() => setDeclining(true)}
            aria-label={t('participant.tandem.declineNamed', { name: s.partner.name })}
          >
            {t('tandems.decline')}
          </button>
        </div>
      )}
      {declining && (
        <form
          className="p-decline"
          onSubmit={(e) => {
            e.preventDefault();
            void act('decline');
          }}
          onKeyDown={(e) => {
            if (e.key === 'Escape' && !busy) {
              setDeclining(false);
              window.setTimeout(() => declineButton.current?.focus());
            }
          }}
        >
          <div ref={reasonBox}>
            <TextArea
              label={t('tandems.declineReason')}
              hint={t('participant.tandem.declineHint', { name: s.partner.name })}
              value={reason}
              maxLength={1000}
              onChange={(e) => setReason(e.target.value)}
            />
          </div>
          <div className="card-actions">
            <Button type="submit" variant="danger" busy={busy}>
              {t('tandems.declineConfirm')}
            </Button>
            <Button
              variant="secondary"
              disabled={busy}
              onClick={() => {
                setDeclining(false);
                window.setTimeout(() => declineButton.current?.focus());
              }}
            >
              {t('tandems.cancel')}
            </Button>
          </div>
        </form>
      )}
      {(tandem.state === 'active' || (tandem.state !== 'declined' && tandem.activated_at != null)) && (
        <p className="p-detail-link">
          <Link to={`/tandems/${tandem.id}/workspace`} aria-label={t('workspace.openNamed', { name: s.partner.name })}>
            {t('workspace.open')}
          </Link>
        </p>
      )}
      {detailLink && (
        <p className="p-detail-link">
          <Link to={`/tandems/${tandem.id}`}>{t('participant.tandem.details', { name: s.partner.name })}</Link>
        </p>
      )}
    </section>
  );
}

const GROUPS: { key: MessageKey; test: (t: Tandem, me: number | null | undefined) => boolean }[] = [
  { key: 'participant.tandems.waitingForYou', test: (t, me) => sides(t, me).waitingForMe },
  { key: 'participant.tandems.waitingForPartner', test: (t, me) => sides(t, me).waitingForPartner },
  { key: 'participant.tandems.active', test: (t) => t.state === 'active' },
  { key: 'participant.tandems.past', test: (t) => !['proposed', 'accepted_by_one', 'active'].includes(t.state) },
];

export function TandemsPage() {
  const { id } = useParams();
  const { t } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [tandems, setTandems] = useState<Tandem[] | null>(null);
  const [programmes, setProgrammes] = useState<Programme[]>([]);
  const [error, setError] = useState<string | null>(null);
  // Each tandem stays in the group it had when the page loaded, so an answer given here keeps
  // its card (and its confirmation) in place.
  const [groupOf, setGroupOf] = useState<Record<number, MessageKey>>({});
  const topicName = useTopicName(programmes);
  const single = id !== undefined ? Number(id) : null;

  useEffect(() => {
    let live = true;
    setTandems(null);
    setError(null);
    // One tandem (the mails' link) is picked from the own list: an unknown id then says so
    // without a failed request.
    call('get', '/api/v1/tandems')
      .then((r) => {
        if (!live) return;
        const list = single === null ? r.data.items : r.data.items.filter((x) => x.id === single);
        if (single !== null && list.length === 0) {
          setError(t('participant.tandem.notFound'));
          return;
        }
        const groups: Record<number, MessageKey> = {};
        for (const x of list) groups[x.id] = GROUPS.find((g) => g.test(x, account?.person_id))?.key ?? 'participant.tandems.past';
        setGroupOf(groups);
        setTandems(list);
      })
      .catch(
        (e: unknown) =>
          live &&
          setError(errorText(e)),
      );
    // Topic names come from the programmes' catalogues; without them the keys stand in.
    all((after) => call('get', '/api/v1/programmes', { query: { after, limit: 500 } }).then((r) => r.data))
      .then((list) => live && setProgrammes(list))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [single, errorText, t, account?.person_id]);

  const replace = useCallback(
    (changed: Tandem) => setTandems((list) => list?.map((x) => (x.id === changed.id ? changed : x)) ?? null),
    [],
  );

  if (single !== null) {
    const tandem = tandems?.[0];
    const partner = tandem ? sides(tandem, account?.person_id).partner : null;
    return (
      <div className="p-page">
        <p className="p-back">
          <Link to="/tandems">{t('participant.tandems.all')}</Link>
        </p>
        <h1>{partner ? t('participant.tandem.title', { name: partner.name }) : t('tandems.title')}</h1>
        {error && <Alert kind="error">{error}</Alert>}
        {!tandems && !error && <Loading />}
        {tandem && (
          <TandemView tandem={tandem} onChange={replace} topicName={topicName} headingLevel={2} detailLink={false} />
        )}
      </div>
    );
  }

  return (
    <div className="p-page">
      <h1>{t('tandems.title')}</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!tandems && !error && <Loading />}
      {tandems && tandems.length === 0 && <p>{t('tandems.empty')}</p>}
      {tandems &&
        GROUPS.map((group) => {
          const items = tandems.filter((x) => groupOf[x.id] === group.key);
          if (items.length === 0) return null;
          return (
            <section key={group.key} aria-labelledby={`p-group-${group.key}`}>
              <h2 id={`p-group-${group.key}`}>{t(group.key, { count: items.length })}</h2>
              <ul className="card-list">
                {items.map((x) => (
                  <li key={x.id}>
                    <TandemView tandem={x} onChange={replace} topicName={topicName} headingLevel={3} detailLink />
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
    </div>
  );
}
