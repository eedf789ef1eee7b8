// /tandems/:id/workspace — the tandem's protected space (issue 7; docs/privacy.md): the
// agreement first, then roadmap, notes and meetings once both partners accepted it.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { call } from '../../api/client';
import type { Schemas, Tandem } from '../../api/client';
import { Alert, Button, Loading, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { useSession } from '../../session';
import { Markdown } from './Markdown';
import { MeetingsSection } from './Meetings';
import { NotesSection } from './Notes';
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
  const { t } = useI18n();
  const { account } = useSession();
  const errorText = useErrorText();
  const [tandem, setTandem] = useState<Tandem | null>(null);
  const [agreement, setAgreement] = useState<Agreement | null>(null);
  const [error, setError] = useState<{ text: string; calm: boolean } | null>(null);
  const me = account?.person_id;

  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await call('get', '/api/v1/tandems/{id}', { path: { id: tandemId } });
      setTandem(r.data);
      const a = await call('get', '/api/v1/tandems/{id}/agreement', { path: { id: tandemId } });
      setAgreement(a.data);
    } catch (e) {
      const k = statusOf(e) === 404 ? 'workspace.notFound' : expectedRefusal(e);
      setError({ text: k ? t(k) : errorText(e), calm: !!k });
    }
  }, [tandemId, t, errorText]);

  useEffect(() => {
    if (Number.isInteger(tandemId) && tandemId > 0) void load();
    else setError({ text: t('workspace.notFound'), calm: true });
  }, [tandemId, load, t]);

  const partner = tandem ? (tandem.mentor.id === me ? tandem.mentee : tandem.mentor) : null;
  const usable = tandem?.state === 'active' || tandem?.state === 'completed';
  const readOnly = tandem?.state !== 'active';

  return (
    <div className="p-page ws-page">
      <p className="p-back">
        <Link to={`/tandems/${tandemId}`}>{t('workspace.back')}</Link>
      </p>
      <h1>{partner ? t('workspace.title', { name: partner.name }) : t('workspace.titlePlain')}</h1>
      <p className="ws-lock">{t('workspace.private')}</p>
      {error && <Alert kind={error.calm ? 'info' : 'error'}>{error.text}</Alert>}
      {!error && (!tandem || (usable && !agreement)) && <Loading />}
      {tandem && !usable && <Alert kind="info">{t('workspace.notActive')}</Alert>}
      {tandem && tandem.state === 'completed' && <Alert kind="info">{t('workspace.ended')}</Alert>}
      {tandem && usable && agreement && (
        <>
          <AgreementSection tandem={tandem} agreement={agreement} onChange={setAgreement} me={me} />
          {agreement.open && (
            <>
              <RoadmapSection tandemId={tandem.id} readOnly={readOnly} />
              <MeetingsSection tandemId={tandem.id} me={me} partnerName={partner?.name ?? ''} readOnly={readOnly} />
              <NotesSection tandemId={tandem.id} readOnly={readOnly} />
            </>
          )}
        </>
      )}
    </div>
  );
}
