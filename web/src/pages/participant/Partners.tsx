// /programmes/:id/partners: in an open programme, the five best partners for the signed-in
// person with the reasons, and a request for a tandem with one of them.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, call } from '../../api/client';
import type { Programme, Schemas, Tandem } from '../../api/client';
import { Alert, Badge, Button, Loading, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { partnersOpen } from '../Programmes';
import { MatchReasons, useTopicName } from './shared';
import '../../styles/participant.css';

type Suggestion = Schemas['Suggestion'];

function SuggestionCard({
  suggestion,
  programmeId,
  myName,
  topicName,
  onRequested,
}: {
  suggestion: Suggestion;
  programmeId: number;
  myName: string;
  topicName: (key: string) => string;
  onRequested: (tandem: Tandem, name: string) => void;
}) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const theyMentor = suggestion.role === 'mentor';
  const headingId = `p-suggestion-${suggestion.person_id}-${suggestion.role}`;

  const request = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('post', '/api/v1/programmes/{id}/requests', {
        path: { id: programmeId },
        body: { partner_id: suggestion.person_id, partner_role: suggestion.role },
      });
      onRequested(r.data, suggestion.name);
    } catch (e) {
      setError(errorText(e));
      setBusy(false);
    }
  };

  return (
    <section className="card p-suggestion" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {suggestion.name}
      </h2>
      <p className="meta p-badges">
        <Badge tone="good">{t(theyMentor ? 'participant.partners.asMentor' : 'participant.partners.asMentee')}</Badge>{' '}
        <span>{t('participant.partners.score', { score: suggestion.score })}</span>
      </p>
      <p>
        {t(theyMentor ? 'participant.partners.theyMentor' : 'participant.partners.theyMentee', {
          name: suggestion.name,
        })}
      </p>
      <MatchReasons
        reasons={suggestion.reasons}
        mentor={theyMentor ? suggestion.name : myName}
        mentee={theyMentor ? myName : suggestion.name}
        me={theyMentor ? 'mentee' : 'mentor'}
        topicName={topicName}
        headingLevel={3}
      />
      {error && <Alert kind="error">{error}</Alert>}
      <div className="card-actions">
        <Button
          busy={busy}
          onClick={() => void request()}
          aria-label={t(theyMentor ? 'participant.partners.requestMentor' : 'participant.partners.requestMentee', {
            name: suggestion.name,
          })}
        >
          {t('participant.partners.request')}
        </Button>
      </div>
    </section>
  );
}

export function PartnersPage() {
  const { id } = useParams();
  const programmeId = Number(id);
  const { t } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [suggestions, setSuggestions] = useState<Suggestion[] | null>(null);
  const [myName, setMyName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<{ tandem: Tandem; name: string } | null>(null);
  const sentMessage = useRef<HTMLDivElement>(null);
  const topicName = useTopicName(programme ? [programme] : []);

  // The programme and the own enrolment first: suggestions only where they exist (an open
  // programme that runs, the reader enrolled); otherwise say why in the reader's words.
  const load = useCallback(async () => {
    const [p, mine, me] = await Promise.all([
      call('get', '/api/v1/programmes/{id}', { path: { id: programmeId } }),
      call('get', '/api/v1/programmes/{id}/enrolment', { path: { id: programmeId } }),
      call('get', '/api/v1/me'),
    ]);
    setProgramme(p.data);
    setMyName(me.data.person?.name ?? account?.display_name ?? '');
    if (!partnersOpen(p.data, mine.data)) {
      setError(
        p.data.mode !== 'open'
          ? t('participant.partners.reverse')
          : mine.data.state !== 'enrolled'
            ? t('participant.partners.enrolFirst')
            : t('participant.partners.notRunning'),
      );
      return;
    }
    const s = await call('get', '/api/v1/programmes/{id}/suggestions', { path: { id: programmeId } });
    setSuggestions(s.data.items);
  }, [programmeId, account?.display_name, t]);

  useEffect(() => {
    setError(null);
    load().catch((e: unknown) => {
      if (e instanceof ApiError && (e.status === 404 || e.status === 403)) setError(t('enrolment.notInvited'));
      else if (e instanceof ApiError && e.status === 409) setError(t('participant.partners.unavailable', { detail: e.message }));
      else setError(errorText(e));
    });
  }, [load, t, errorText]);

  useEffect(() => {
    if (sent) sentMessage.current?.focus();
  }, [sent]);

  const requested = (tandem: Tandem, name: string) => {
    setSent({ tandem, name });
    // The requested person is no longer suggested; the list refills from the rest.
    call('get', '/api/v1/programmes/{id}/suggestions', { path: { id: programmeId } })
      .then((r) => setSuggestions(r.data.items))
      .catch(() => setSuggestions((list) => list?.filter((x) => x.name !== name) ?? null));
  };

  return (
    <div className="p-page">
      <p className="p-back">
        <Link to={`/programmes/${programmeId}/enrolment`}>{t('participant.partners.backToQuestionnaire')}</Link>
      </p>
      <h1>{programme ? t('participant.partners.title', { name: programme.name }) : t('participant.findPartners')}</h1>
      {error && <Alert kind="error">{error}</Alert>}
      {!error && !suggestions && <Loading />}
      {sent && (
        <div className="alert alert-success p-focus-target" role="status" tabIndex={-1} ref={sentMessage}>
          <p className="p-alert-title">{t('participant.partners.sent', { name: sent.name })}</p>
          <p>{t('participant.partners.sentText', { name: sent.name })}</p>
          <p>
            <Link to={`/tandems/${sent.tandem.id}`}>{t('participant.partners.seeRequest')}</Link>
          </p>
        </div>
      )}
      {programme && suggestions && (
        <>
          <p>{t('participant.partners.intro')}</p>
          {suggestions.length === 0 ? (
            <p>{t('participant.partners.none')}</p>
          ) : (
            <ol className="card-list" aria-label={t('participant.partners.listLabel')}>
              {suggestions.map((s) => (
                <li key={`${s.person_id}-${s.role}`}>
                  <SuggestionCard
                    suggestion={s}
                    programmeId={programmeId}
                    myName={myName}
                    topicName={(k) => topicName(programmeId, k)}
                    onRequested={requested}
                  />
                </li>
              ))}
            </ol>
          )}
        </>
      )}
    </div>
  );
}
