// /tandems/:id/workspace — the tandem's protected space (issue 7; docs/privacy.md): the
// agreement first, then roadmap, notes and meetings once both partners accepted it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { call } from '../../api/client';
import type { Programme, Schemas, Tandem } from '../../api/client';
import { Alert, Button, Loading, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { TermSection, endedAt, formatDay, type EndingTandem } from './Ending';
import { LeadershipAskSection, type AskTopic } from './LeadershipAsk';
import { Markdown } from './Markdown';
import { MeetingsSection } from './Meetings';
import { NotesSection } from './Notes';
import { PartnerFeedbackSection } from './PartnerFeedback';
import { RoadmapSection } from './Roadmap';
import { expectedRefusal, statusOf } from './shared';
import '../../styles/workspace.css';

type Agreement = Schemas['Agreement'];

function AgreementSection({
  tandem,
  agreement,
  onChange,
  me,
}: {
  tandem: Tandem;
  agreement: Agreement;
  onChange: (a: Agreement) => void;
  me: number | null | undefined;
}) {
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (done) doneRef.current?.focus();
  }, [done]);

  const accept = async () => {
    setBusy(true);
    setError(null);
    try {
      const r = await call('post', '/api/v1/tandems/{id}/agreement/accept', { path: { id: tandem.id } });
      setDone(true);
      onChange(r.data);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const roleName = (role: 'mentor' | 'mentee') => {
    const person = role === 'mentor' ? tandem.mentor : tandem.mentee;
    const label = `${t(`workspace.role.${role}`)} ${person.name}`;
    return person.id === me ? t('workspace.you', { role: label }) : label;
  };

  return (
    <section className="card ws-section" aria-labelledby="ws-agreement">
      <h2 id="ws-agreement" className="card-title">{t('workspace.agreement.title')}</h2>
      {!agreement.open && (
        <div className="ws-agreement-text">
          <Markdown source={agreement.text} headingLevel={3} />
        </div>
      )}
      <ul className="ws-acceptances">
        {(['mentor', 'mentee'] as const).map((role) => {
          const a = agreement.acceptances.find((x) => x.role === role);
          return (
            <li key={role}>
              {a
                ? t('workspace.agreement.accepted', { role: roleName(role), date: formatDate(a.accepted_at) })
                : t('workspace.agreement.notYet', { role: roleName(role) })}
            </li>
          );
        })}
      </ul>
      {done && (
        <div className="alert alert-success ws-focus" role="status" tabIndex={-1} ref={doneRef}>
          {agreement.open ? t('workspace.agreement.open') : t('workspace.agreement.done')}
        </div>
      )}
      {error && <Alert kind="error">{error}</Alert>}
      {!agreement.accepted_by_me && tandem.state === 'active' && (
        <div className="card-actions">
          <Button busy={busy} onClick={() => void accept()}>
            {t('workspace.agreement.accept')}
          </Button>
        </div>
      )}
      {!agreement.open && <p className="ws-waiting" role="status">{t('workspace.waiting')}</p>}
    </section>
  );
}

export function WorkspacePage() {
  const { id } = useParams();
  const tandemId = Number(id);
  const { t, language } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [tandem, setTandem] = useState<EndingTandem | null>(null);
  const [agreement, setAgreement] = useState<Agreement | null>(null);
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [held, setHeld] = useState<number | null>(null);
  const [error, setError] = useState<{ text: string; calm: boolean } | null>(null);
  const [justEnded, setJustEnded] = useState(false);
  const endedRef = useRef<HTMLDivElement>(null);
  const me = account?.person_id;

  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await call('get', '/api/v1/tandems/{id}', { path: { id: tandemId } });
      setTandem(r.data);
      const a = await call('get', '/api/v1/tandems/{id}/agreement', { path: { id: tandemId } });
      setAgreement(a.data);
      // The topics' names and the meeting target; a partner who withdrew from the programme may
      // no longer read it, and the workspace then does with the tandem's own topic keys.
      call('get', '/api/v1/programmes/{id}', { path: { id: r.data.programme_id } })
        .then((p) => setProgramme(p.data))
        .catch(() => setProgramme(null));
    } catch (e) {
      // 403: an account without a person (an administrator) has no tandems: the same answer.
      const k = statusOf(e) === 404 || statusOf(e) === 403 ? 'workspace.notFound' : expectedRefusal(e);
      setError({ text: k ? t(k) : errorText(e), calm: !!k });
    }
  }, [tandemId, t, errorText]);

  useEffect(() => {
    if (Number.isInteger(tandemId) && tandemId > 0) void load();
    else setError({ text: t('workspace.notFound'), calm: true });
  }, [tandemId, load, t]);

  useEffect(() => {
    if (justEnded) endedRef.current?.focus();
  }, [justEnded]);

  const onMeetings = useCallback((list: { state: string }[]) => {
    setHeld(list.filter((m) => m.state === 'held').length);
  }, []);

  const partner = tandem ? (tandem.mentor.id === me ? tandem.mentee : tandem.mentor) : null;
  const ended = tandem?.state === 'completed' || tandem?.state === 'dissolved';
  const usable = tandem?.state === 'active' || ended;
  const readOnly = tandem?.state !== 'active';
  const endDate = tandem ? endedAt(tandem) : null;
  const topics: AskTopic[] = programme
    ? programme.topics.map((x) => ({ key: x.key, name: (language === 'de' ? x.name_de : x.name_en) || x.key }))
    : (tandem?.topics ?? []).map((key) => ({ key, name: key }));

  return (
    <div className="p-page ws-page">
      <p className="p-back">
        <Link to={`/tandems/${tandemId}`}>{t('workspace.back')}</Link>
      </p>
      <h1>{partner ? t('workspace.title', { name: partner.name }) : t('workspace.titlePlain')}</h1>
      {!error && <p className="ws-lock">{t('workspace.private')}</p>}
      {error && <Alert kind={error.calm ? 'info' : 'error'}>{error.text}</Alert>}
      {!error && (!tandem || (usable && !agreement)) && <Loading />}
      {tandem && !usable && <Alert kind="info">{t('workspace.notActive')}</Alert>}
      {tandem && ended && (
        <div className="alert alert-info ws-focus ws-ended" role="status" tabIndex={-1} ref={endedRef}>
          {endDate
            ? t(tandem.state === 'completed' ? 'workspace.ended.completed' : 'workspace.ended.dissolved', {
                date: formatDay(language, endDate),
              })
            : t('workspace.ended')}
        </div>
      )}
      {tandem && usable && agreement && (
        <>
          {(!readOnly || agreement.open) && (
            <AgreementSection tandem={tandem} agreement={agreement} onChange={setAgreement} me={me} />
          )}
          <TermSection
            tandem={tandem}
            me={me}
            partnerName={partner?.name ?? ''}
            held={agreement.open ? held : null}
            target={programme ? { min: programme.target_meetings_min, max: programme.target_meetings_max } : null}
            onChange={(next) => {
              setTandem(next);
              if (next.state !== 'active') setJustEnded(true);
            }}
          />
          {/* Partner feedback (issue 8): only when the programme enables it; the server decides. */}
          <PartnerFeedbackSection tandemId={tandem.id} partnerName={partner?.name ?? ''} readOnly={false} />
          {agreement.open && (
            <>
              <RoadmapSection tandemId={tandem.id} readOnly={readOnly} />
              <MeetingsSection
                tandemId={tandem.id}
                me={me}
                partnerName={partner?.name ?? ''}
                readOnly={readOnly}
                onLoaded={onMeetings}
              />
              <NotesSection tandemId={tandem.id} readOnly={readOnly} />
            </>
          )}
          {!readOnly && <LeadershipAskSection tandemId={tandem.id} topics={topics} />}
        </>
      )}
    </div>
  );
}
