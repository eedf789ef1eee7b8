// The programme's invitations and enrolments: the funnel as a chart, the list (every page of
// GET …/enrolments) filtered by state, and per open invitation "resend" (while enrolling) and
// "revoke" (with a confirmation step).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { all, call } from '../../api/client';
import type { Enrolment, Programme } from '../../api/client';
import { BarChart } from '../../components/charts';
import { Alert, Badge, Button, Loading, Select, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import '../../styles/team.css';

const PAGE = 25;
const STATES = ['invited', 'enrolled', 'withdrawn'] as const;
type State = Enrolment['state'];

function stateTone(state: State): 'neutral' | 'good' | 'warn' {
  return state === 'enrolled' ? 'good' : state === 'invited' ? 'warn' : 'neutral';
}

/** `reload` changes when the list may have changed elsewhere on the page (new invitations). */
export function EnrolmentsCard({ programme, reload, onChanged }: {
  programme: Programme;
  reload: number;
  onChanged: () => void;
}) {
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [items, setItems] = useState<Enrolment[] | null>(null);
  const [filter, setFilter] = useState<'' | State>('');
  const [limit, setLimit] = useState(PAGE);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const sectionRef = useRef<HTMLElement>(null);
  const id = programme.id;

  // After a confirmation step closes, the focus returns to where the person was.
  useEffect(() => {
    if (!focusTarget) return;
    sectionRef.current?.querySelector<HTMLElement>(`[data-focus="${focusTarget}"]`)?.focus();
    setFocusTarget(null);
  }, [focusTarget]);

  const load = useCallback(
    () =>
      all((after) =>
        call('get', '/api/v1/programmes/{id}/enrolments', { path: { id }, query: { after, limit: 500 } })
          .then((r) => r.data),
      ).then((list) => setItems([...list].sort((a, b) => a.name.localeCompare(b.name)))),
    [id],
  );

  useEffect(() => {
    load().catch((e: unknown) => setMessage({ kind: 'error', text: errorText(e) }));
  }, [load, errorText, reload]);

  const counts = useMemo(() => {
    const c = { invited: 0, enrolled: 0, withdrawn: 0, mentorOnly: 0, menteeOnly: 0, both: 0 };
    for (const e of items ?? []) {
      c[e.state]++;
      if (e.state !== 'enrolled') continue;
      if (e.mentor_capacity > 0 && e.mentee_capacity > 0) c.both++;
      else if (e.mentor_capacity > 0) c.mentorOnly++;
      else if (e.mentee_capacity > 0) c.menteeOnly++;
    }
    return c;
  }, [items]);

  const resend = async (e: Enrolment) => {
    setBusy(`resend-${e.person_id}`);
    setMessage(null);
    try {
      await call('post', '/api/v1/programmes/{id}/invitations/{person_id}/resend', {
        path: { id, person_id: e.person_id },
      });
      setMessage({ kind: 'success', text: t('manage.resent', { name: e.name }) });
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
    } finally {
      setBusy(null);
    }
  };

  const revoke = async (e: Enrolment) => {
    setBusy(`revoke-${e.person_id}`);
    setMessage(null);
    try {
      await call('delete', '/api/v1/programmes/{id}/invitations/{person_id}', {
        path: { id, person_id: e.person_id },
      });
      setItems((old) => (old ?? []).filter((x) => x.person_id !== e.person_id));
      setMessage({ kind: 'success', text: t('manage.revoked', { name: e.name }) });
      setFocusTarget('title');
      onChanged();
    } catch (err) {
      setMessage({ kind: 'error', text: errorText(err) });
      void load().catch(() => undefined);
    } finally {
      setBusy(null);
      setConfirming(null);
    }
  };

  const shown = (items ?? []).filter((e) => !filter || e.state === filter);
  const canResend = programme.state === 'enrolling';
  const closed = programme.state === 'closed';

  const since = (e: Enrolment) => {
    const at = e.state === 'withdrawn' ? e.withdrawn_at : e.state === 'enrolled' ? e.enrolled_at : e.invited_at;
    return at === null ? '–' : t(`manage.since.${e.state}`, { date: formatDate(at) });
  };
  const roles = (e: Enrolment) => {
    const parts: string[] = [];
    if (e.mentor_capacity > 0) parts.push(t('manage.role.mentor', { count: e.mentor_capacity }));
    if (e.mentee_capacity > 0) parts.push(t('manage.role.mentee', { count: e.mentee_capacity }));
    return parts.length > 0 ? parts.join(', ') : '–';
  };

  return (
    <section ref={sectionRef} className="card" id="enrolments" aria-labelledby="enrolments-title">
      <h2 id="enrolments-title" className="card-title" tabIndex={-1} data-focus="title">{t('manage.enrolments')}</h2>
      <p className="meta">{t('manage.enrolments.privacy')}</p>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {items === null ? (
        <Loading />
      ) : items.length === 0 ? (
        <p>{t('manage.enrolments.none')}</p>
      ) : (
        <>
          <BarChart
            title={t('manage.enrolments.chart')}
            bars={[
              { label: t('manage.bar.invited'), value: items.length, tone: 'd' },
              { label: t('manage.bar.open'), value: counts.invited, tone: 'c' },
              { label: t('manage.bar.enrolled'), value: counts.enrolled, tone: 'a' },
              { label: t('manage.bar.mentorOnly'), value: counts.mentorOnly, tone: 'b' },
              { label: t('manage.bar.menteeOnly'), value: counts.menteeOnly, tone: 'b' },
              { label: t('manage.bar.both'), value: counts.both, tone: 'b' },
              { label: t('manage.bar.withdrawn'), value: counts.withdrawn, tone: 'c' },
            ]}
          />
          <div className="inline-form">
            <Select label={t('manage.enrolments.filter')} value={filter}
              onChange={(e) => {
                setFilter(e.target.value as '' | State);
                setLimit(PAGE);
              }}>
              <option value="">{t('manage.all', { count: items.length })}</option>
              {STATES.map((s) => (
                <option key={s} value={s}>
                  {t('manage.stateCount', { state: t(`manage.enrolmentState.${s}`), count: counts[s] })}
                </option>
              ))}
            </Select>
          </div>
          {shown.length === 0 ? (
            <p>{t('manage.enrolments.noneInFilter')}</p>
          ) : (
            <div className="table-wrap">
              <table className="table">
                <caption className="visually-hidden">{t('manage.enrolments.list')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('manage.col.name')}</th>
                    <th scope="col">{t('manage.col.state')}</th>
                    <th scope="col">{t('manage.col.roles')}</th>
                    <th scope="col">{t('manage.col.since')}</th>
                    <th scope="col"><span className="visually-hidden">{t('team.actions')}</span></th>
                  </tr>
                </thead>
                <tbody>
                  {shown.slice(0, limit).map((e) => (
                    <tr key={e.id}>
                      <th scope="row">{e.name}</th>
                      <td><Badge tone={stateTone(e.state)}>{t(`manage.enrolmentState.${e.state}`)}</Badge></td>
                      <td>{roles(e)}</td>
                      <td>{since(e)}</td>
                      <td>
                        {e.state === 'invited' && !closed && (
                          <div className="row-actions">
                            {confirming === e.person_id ? (
                              <>
                                <span id={`revoke-text-${e.person_id}`}>
                                  {t('manage.revokeConfirmText', { name: e.name })}
                                </span>
                                <Button variant="danger" className="btn-small" busy={busy === `revoke-${e.person_id}`}
                                  autoFocus aria-describedby={`revoke-text-${e.person_id}`}
                                  onClick={() => void revoke(e)}>
                                  {t('manage.revokeConfirm')}
                                </Button>
                                <Button variant="secondary" className="btn-small" onClick={() => {
                                  setConfirming(null);
                                  setFocusTarget(`revoke-${e.person_id}`);
                                }}>
                                  {t('manage.cancel')}
                                </Button>
                              </>
                            ) : (
                              <>
                                {canResend && (
                                  <Button variant="secondary" className="btn-small"
                                    busy={busy === `resend-${e.person_id}`}
                                    aria-label={t('manage.resendNamed', { name: e.name })}
                                    onClick={() => void resend(e)}>
                                    {t('manage.resend')}
                                  </Button>
                                )}
                                <Button variant="secondary" className="btn-small"
                                  aria-label={t('manage.revokeNamed', { name: e.name })}
                                  data-focus={`revoke-${e.person_id}`}
                                  onClick={() => setConfirming(e.person_id)}>
                                  {t('manage.revoke')}
                                </Button>
                              </>
                            )}
                          </div>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {shown.length > limit && (
            <div className="card-actions">
              <span className="meta">{t('manage.shown', { shown: limit, total: shown.length })}</span>
              <Button variant="secondary" onClick={() => setLimit((l) => l + PAGE)}>{t('manage.showMore')}</Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}
