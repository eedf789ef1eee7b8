// The programme's tandems (GET …/tandems, every page): both partners, state, origin (a run or a
// participant's request), score, the term (active since, ends, ended), the meetings held when the
// programme shows them (`show_meeting_counts`: the field is absent otherwise), and the reasons
// for declining or dissolving, which only the team sees.
import { useEffect, useState } from 'react';
import { all, call } from '../../api/client';
import type { Programme, Schemas } from '../../api/client';
import { Alert, Badge, Button, Loading, Select, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { topicName } from './runTypes';
import '../../styles/team.css';

type TeamTandem = Schemas['TeamTandem'];
type State = TeamTandem['state'];
const STATES: State[] = ['proposed', 'accepted_by_one', 'active', 'completed', 'declined', 'dissolved'];
const PAGE = 50;
// Tandems that can have held meetings: the count shows only for them (and only when sent).
const MET: State[] = ['active', 'completed', 'dissolved'];

function tone(state: State): 'neutral' | 'good' | 'warn' | 'bad' {
  if (state === 'active' || state === 'completed') return 'good';
  if (state === 'declined') return 'bad';
  if (state === 'dissolved') return 'neutral';
  return 'warn';
}

/** `reload` changes when the tandems may have changed (a run was published). */
export function TandemsCard({ programme, reload }: { programme: Programme; reload: number }) {
  const { t, formatDate, language } = useI18n();
  const errorText = useErrorText();
  const [items, setItems] = useState<TeamTandem[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<'' | State>('');
  const [limit, setLimit] = useState(PAGE);
  const id = programme.id;

  useEffect(() => {
    let live = true;
    all((after) =>
      call('get', '/api/v1/programmes/{id}/tandems', { path: { id }, query: { after, limit: 500 } })
        .then((r) => r.data),
    )
      .then((list) => live && setItems([...list].sort((a, b) => b.id - a.id)))
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, reload, errorText]);

  /** Since when it runs and until when, or when it ended; '' before it became active. */
  const termText = (x: TeamTandem): string => {
    if ((x.state === 'completed' || x.state === 'dissolved') && x.ended_at) {
      return t('manage.term.ended', { date: formatDate(x.ended_at) });
    }
    if (x.state !== 'active') return '';
    const parts: string[] = [];
    if (x.activated_at) parts.push(t('manage.term.since', { date: formatDate(x.activated_at) }));
    if (x.ends_at) parts.push(t('manage.term.ends', { date: formatDate(x.ends_at) }));
    return parts.join(' · ');
  };
  const completedBy = (x: TeamTandem): string[] =>
    [x.mentor_completed_at ? x.mentor.name : null, x.mentee_completed_at ? x.mentee.name : null]
      .filter((v): v is string => v !== null);
  const count = (s: State) => (items ?? []).filter((x) => x.state === s).length;
  const shown = (items ?? []).filter((x) => !filter || x.state === filter);

  return (
    <section className="card" id="tandems" aria-labelledby="tandems-title">
      <h2 id="tandems-title" className="card-title">{t('manage.tandems')}</h2>
      <p className="meta">{t('manage.tandems.private')}</p>
      {error && <Alert kind="error">{error}</Alert>}
      {items === null ? (
        !error && <Loading />
      ) : items.length === 0 ? (
        <p>{t('manage.tandems.none')}</p>
      ) : (
        <>
          <div className="inline-form">
            <Select label={t('manage.tandems.filter')} value={filter}
              onChange={(e) => {
                setFilter(e.target.value as '' | State);
                setLimit(PAGE);
              }}>
              <option value="">{t('manage.all', { count: items.length })}</option>
              {STATES.filter((s) => count(s) > 0).map((s) => (
                <option key={s} value={s}>
                  {t('manage.stateCount', { state: t(`tandem.state.${s}`), count: count(s) })}
                </option>
              ))}
            </Select>
          </div>
          <ul className="tandem-list" aria-label={t('manage.tandems.list')}>
            {shown.slice(0, limit).map((x) => {
              const accepted = [
                x.mentor_accepted_at !== null ? x.mentor.name : null,
                x.mentee_accepted_at !== null ? x.mentee.name : null,
              ].filter((v): v is string => v !== null);
              return (
                <li key={x.id} className="tandem-item">
                  <p className="tandem-head">
                    <strong>{x.mentor.name}</strong> <span className="meta-inline">({t('tandems.mentor')})</span>
                    {' – '}
                    <strong>{x.mentee.name}</strong> <span className="meta-inline">({t('tandems.mentee')})</span>{' '}
                    <Badge tone={tone(x.state)}>{t(`tandem.state.${x.state}`)}</Badge>
                  </p>
                  <dl className="pairs team-dl">
                    <dt>{t('manage.col.origin')}</dt>
                    <dd>
                      {x.origin === 'request' || x.run_id === null
                        ? t('manage.origin.request')
                        : t('manage.origin.run', { id: x.run_id })}
                      {' · '}
                      {t('manage.col.created')} {formatDate(x.created_at)}
                    </dd>
                    <dt>{t('team.score')}</dt>
                    <dd>{x.score}</dd>
                    <dt>{t('tandems.topics')}</dt>
                    <dd>{x.topics.map((k) => topicName(programme, k, language)).join(', ') || '–'}</dd>
                    {termText(x) && (
                      <>
                        <dt>{t('manage.col.term')}</dt>
                        <dd>{termText(x)}</dd>
                      </>
                    )}
                    {typeof x.meetings_held === 'number' && MET.includes(x.state) && (
                      <>
                        <dt>{t('manage.col.meetingsHeld')}</dt>
                        <dd>
                          {t('manage.meetingsHeldValue', {
                            count: x.meetings_held,
                            min: programme.target_meetings_min,
                            max: programme.target_meetings_max,
                          })}
                        </dd>
                      </>
                    )}
                  </dl>
                  {x.state === 'accepted_by_one' && accepted.length > 0 && (
                    <p className="meta">{t('manage.acceptedBy', { who: accepted.join(', ') })}</p>
                  )}
                  {x.state === 'active' && completedBy(x).length > 0 && (
                    <p className="meta">{t('manage.completedBy', { who: completedBy(x).join(', ') })}</p>
                  )}
                  {x.state === 'dissolved' && (
                    <p className="decline-reason">
                      {x.dissolve_reason
                        ? t('manage.dissolveReason', { reason: x.dissolve_reason })
                        : t('manage.dissolveNoReason')}
                    </p>
                  )}
                  {x.state === 'declined' && (
                    <p className="decline-reason">
                      {x.decline_reason
                        ? t('manage.declineReason', { reason: x.decline_reason })
                        : t('manage.declineNoReason')}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
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
