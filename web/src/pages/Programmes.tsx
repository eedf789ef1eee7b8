import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { all, call } from '../api/client';
import type { Enrolment, Programme } from '../api/client';
import { Alert, Badge, Card, Loading, useErrorText } from '../components/ui';
import { useI18n, type MessageKey } from '../i18n';
import { useSession } from '../session';
import '../styles/participant.css';

export function stateTone(state: Programme['state']): 'neutral' | 'good' | 'warn' {
  return state === 'enrolling' ? 'good' : state === 'running' || state === 'matching' ? 'warn' : 'neutral';
}

type OwnEnrolment = Pick<Enrolment, 'state'>;

interface Entry {
  programme: Programme;
  /** The person's own enrolment; null when they take no part (e.g. only administer it). */
  enrolment: OwnEnrolment | null;
}

/** Enrolment is open for answers: enrolling and the deadline (if any) still ahead. */
export function enrolmentOpen(p: Programme, now = Date.now()): boolean {
  return p.state === 'enrolling' && (p.enrolment_deadline === null || p.enrolment_deadline > now);
}

/** Partners can be found by the person themself: an open programme they are enrolled in. */
export function partnersOpen(p: Programme, e: OwnEnrolment | null): boolean {
  return p.mode === 'open' && e?.state === 'enrolled' && p.state !== 'draft' && p.state !== 'closed';
}

function ProgrammeFacts({ programme }: { programme: Programme }) {
  const { t, formatDate } = useI18n();
  return (
    <dl className="pairs p-facts">
      {programme.enrolment_deadline !== null && programme.state === 'enrolling' && (
        <>
          <dt>{t('participant.facts.deadline')}</dt>
          <dd>{formatDate(programme.enrolment_deadline)}</dd>
        </>
      )}
      <dt>{t('participant.facts.term')}</dt>
      <dd>
        {t('participant.facts.termValue', { min: programme.term_min_months, max: programme.term_max_months })}
      </dd>
      <dt>{t('participant.facts.meetings')}</dt>
      <dd>
        {t('participant.facts.meetingsValue', {
          min: programme.target_meetings_min,
          max: programme.target_meetings_max,
        })}
      </dd>
    </dl>
  );
}

function TopicLine({ programme }: { programme: Programme }) {
  const { t, language } = useI18n();
  const names = programme.topics.map((x) => (language === 'de' ? x.name_de : x.name_en) || x.key);
  return (
    <p className="p-topics-line">
      <strong>{t('participant.facts.topics', { count: names.length })}</strong> {names.join(', ')}
    </p>
  );
}

function Invitation({ programme }: Entry) {
  const { t } = useI18n();
  return (
    <Card
      headingLevel={3}
      title={programme.name}
      actions={
        <Link
          className="btn btn-primary"
          to={`/programmes/${programme.id}/enrolment`}
          aria-label={t('participant.takePartIn', { name: programme.name })}
        >
          {t('participant.takePart')}
        </Link>
      }
    >
      <p className="meta">
        <Badge tone="good">{t('participant.invitation')}</Badge>
      </p>
      <p>{t(programme.mode === 'open' ? 'participant.about.open' : 'participant.about.reverse')}</p>
      <ProgrammeFacts programme={programme} />
      <TopicLine programme={programme} />
      <p className="p-muted">{t('participant.invitationVoluntary')}</p>
    </Card>
  );
}

/** What comes next for the person in this programme, in one sentence. */
function nextStep(entry: Entry): MessageKey | null {
  const { programme: p, enrolment: e } = entry;
  if (!e) return null;
  if (e.state === 'withdrawn') return enrolmentOpen(p) ? 'participant.next.withdrawnOpen' : 'participant.next.withdrawn';
  if (e.state === 'invited') return 'participant.next.missed';
  if (p.state === 'enrolling') return enrolmentOpen(p) ? 'participant.next.enrolling' : 'participant.next.matching';
  if (p.state === 'matching') return p.mode === 'open' ? 'participant.next.openRunning' : 'participant.next.matching';
  if (p.state === 'running') return p.mode === 'open' ? 'participant.next.openRunning' : 'participant.next.running';
  return null;
}

function Current(entry: Entry) {
  const { t, formatDate } = useI18n();
  const { programme: p, enrolment: e } = entry;
  const step = nextStep(entry);
  const links = [];
  if (e && (e.state !== 'withdrawn' || enrolmentOpen(p))) {
    links.push(
      <Link
        key="q"
        className={e.state === 'withdrawn' ? 'btn btn-primary' : 'btn btn-secondary'}
        to={`/programmes/${p.id}/enrolment`}
        aria-label={
          e.state === 'withdrawn'
            ? t('participant.takePartAgainIn', { name: p.name })
            : t('participant.questionnaireOf', { name: p.name })
        }
      >
        {e.state === 'withdrawn' ? t('participant.takePartAgain') : t('programmes.questionnaire')}
      </Link>,
    );
  } else if (!e && p.state === 'enrolling') {
    // Someone who only administers it: the questionnaire link as before.
    links.push(
      <Link key="q" className="btn btn-secondary" to={`/programmes/${p.id}/enrolment`}>
        {t('programmes.questionnaire')}
      </Link>,
    );
  }
  if (partnersOpen(p, e)) {
    links.push(
      <Link
        key="partners"
        className="btn btn-primary"
        to={`/programmes/${p.id}/partners`}
        aria-label={t('participant.findPartnersIn', { name: p.name })}
      >
        {t('participant.findPartners')}
      </Link>,
    );
  }
  if (e?.state === 'enrolled' && (p.state === 'running' || p.mode === 'open')) {
    links.push(
      <Link key="tandems" className="btn btn-secondary" to="/tandems">
        {t('nav.tandems')}
      </Link>,
    );
  }
  return (
    <Card headingLevel={3} title={p.name} actions={links.length ? <>{links}</> : undefined}>
      <p className="meta p-badges">
        <Badge tone={stateTone(p.state)}>{t(`state.${p.state}`)}</Badge>{' '}
        {e && (
          <Badge tone={e.state === 'enrolled' ? 'good' : 'neutral'}>{t(`enrolment.state.${e.state}`)}</Badge>
        )}{' '}
        <span>{t('programmes.topics', { count: p.topics.length })}</span>
        {p.enrolment_deadline !== null && p.state === 'enrolling' && (
          <span>{t('programmes.deadline', { date: formatDate(p.enrolment_deadline) })}</span>
        )}
      </p>
      {step && <p>{t(step)}</p>}
    </Card>
  );
}

function Past({ programme: p, enrolment: e }: Entry) {
  const { t, formatDate } = useI18n();
  return (
    <Card headingLevel={3} title={p.name}>
      <p className="meta p-badges">
        <Badge>{t(`state.${p.state}`)}</Badge>{' '}
        {e && <Badge>{t(e.state === 'enrolled' ? 'participant.took.part' : 'participant.took.notPart')}</Badge>}
      </p>
      {p.closed_at !== null && <p>{t('participant.closedOn', { date: formatDate(p.closed_at) })}</p>}
      {p.state !== 'closed' && e?.state === 'invited' && <p>{t('participant.next.missed')}</p>}
    </Card>
  );
}

export function ProgrammesPage() {
  const { t } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const personId = account?.person_id ?? null;

  useEffect(() => {
    let live = true;
    (async () => {
      // The list says the caller's own enrolment state (own_enrolment), so no request per
      // programme; programmes the caller only administers have none.
      const programmes = await all((after) =>
        call('get', '/api/v1/programmes', { query: { after, limit: 500 } }).then((r) => r.data),
      );
      return programmes.map((programme) => ({
        programme,
        enrolment: programme.own_enrolment ? { state: programme.own_enrolment } : null,
      }));
    })()
      .then((list) => live && setEntries(list))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [errorText, personId]);

  const invitations: Entry[] = [];
  const current: Entry[] = [];
  const past: Entry[] = [];
  for (const entry of entries ?? []) {
    const { programme: p, enrolment: e } = entry;
    if (e?.state === 'invited' && enrolmentOpen(p)) invitations.push(entry);
    else if (p.state === 'closed' || (e?.state === 'invited' && p.state !== 'draft')) past.push(entry);
    else current.push(entry);
  }

  return (
    <div className="p-page">
      <h1>{t('programmes.title')}</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!entries && !error && <Loading />}
      {entries && entries.length === 0 && <p>{t('programmes.empty')}</p>}
      {invitations.length > 0 && (
        <section aria-labelledby="p-invitations" className="p-invitations">
          <h2 id="p-invitations">{t('participant.invitations', { count: invitations.length })}</h2>
          <ul className="card-list">
            {invitations.map((x) => (
              <li key={x.programme.id}>
                <Invitation {...x} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {current.length > 0 && (
        <section aria-labelledby="p-current">
          <h2 id="p-current">{t('participant.current')}</h2>
          <ul className="card-list">
            {current.map((x) => (
              <li key={x.programme.id}>
                <Current {...x} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {past.length > 0 && (
        <section aria-labelledby="p-past">
          <h2 id="p-past">{t('participant.past')}</h2>
          <ul className="card-list">
            {past.map((x) => (
              <li key={x.programme.id}>
                <Past {...x} />
              </li>
            ))}
          </ul>
        </section>
      )}
    </div>
  );
}
