// /team/programmes/{id}/asks: what the programme's tandems ask of top management (GET
// …/asks), by topic in the catalogue's order, newest first within a topic. The team never
// learns the tandem; the author only when they chose to be named (docs/privacy.md), otherwise
// the ask says plainly "anonymous".
import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { call } from '../../api/client';
import type { Programme, Schemas } from '../../api/client';
import { Alert, Loading, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import type { Language } from '../../i18n';
import { TeamTabs } from './TeamTabs';
import { topicName } from './runTypes';
import '../../styles/team.css';

export type AskList = Schemas['AskList'];
export type Ask = AskList['topics'][number]['asks'][number];

export interface AskGroup {
  /** The topic's key; '' for asks without a topic. */
  key: string;
  /** The topic's name in the page's language (the key for a topic the catalogue lacks). */
  name: string;
  asks: Ask[];
}

/**
 * The server's groups in the catalogue's order (topics it no longer has after them, asks without
 * a topic last), each newest first. `noTopic` names the group of asks without a topic.
 */
export function groupAsks(list: AskList, programme: Programme, language: Language, noTopic: string): AskGroup[] {
  const position = (key: string) => {
    if (key === '') return Number.MAX_SAFE_INTEGER;
    const i = programme.topics.findIndex((x) => x.key === key);
    return i < 0 ? programme.topics.length : i;
  };
  return list.topics
    .filter((g) => g.asks.length > 0)
    .map((g, order) => ({ g, order }))
    .sort((a, b) => position(a.g.topic) - position(b.g.topic) || a.order - b.order)
    .map(({ g }) => ({
      key: g.topic,
      name: g.topic === '' ? noTopic : topicName(programme, g.topic, language),
      asks: [...g.asks].sort((a, b) => b.created_at - a.created_at || b.id - a.id),
    }));
}

export function AsksPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t, language, formatDate } = useI18n();
  const errorText = useErrorText();
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [list, setList] = useState<AskList | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([
      call('get', '/api/v1/programmes/{id}', { path: { id } }),
      call('get', '/api/v1/programmes/{id}/asks', { path: { id } }),
    ])
      .then(([p, a]) => {
        if (!live) return;
        setProgramme(p.data);
        setList(a.data);
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, errorText]);

  if (error) return <Alert kind="error">{error}</Alert>;
  if (!programme || !list) return <Loading />;
  const groups = groupAsks(list, programme, language, t('asks.noTopic'));

  return (
    <>
      <p>
        <Link to="/team">{t('team.back')}</Link>
      </p>
      <h1>{t('team.programmeTitle', { name: programme.name })}</h1>
      <TeamTabs id={id} current="asks" />
      <section className="card" aria-labelledby="asks-title">
        <h2 id="asks-title" className="card-title">{t('asks.title')}</h2>
        <p className="meta">{t('asks.intro')}</p>
        {groups.length === 0 ? (
          <p className="asks-empty">{t('asks.none')}</p>
        ) : (
          <>
            <p>{t('asks.total', { count: list.total, topics: groups.length })}</p>
            {groups.map((g) => (
              <section key={g.key} className="ask-group" aria-labelledby={`asks-topic-${g.key || 'none'}`}>
                <h3 id={`asks-topic-${g.key || 'none'}`}>
                  {g.name} <span className="meta-inline">({g.asks.length})</span>
                </h3>
                <ul className="ask-list">
                  {g.asks.map((a) => {
                    const others = a.topics.filter((k) => k !== g.key);
                    return (
                      <li key={a.id} className="ask">
                        <p className="ask-text">{a.text}</p>
                        <p className="ask-meta">
                          <span className={a.author ? 'ask-author' : 'ask-author ask-anonymous'}>
                            {a.author ? a.author.name : t('asks.anonymous')}
                          </span>
                          {' · '}
                          <time dateTime={new Date(a.created_at).toISOString()}>{formatDate(a.created_at)}</time>
                          {others.length > 0 && (
                            <>
                              {' · '}
                              {t('asks.alsoUnder', {
                                topics: others.map((k) => topicName(programme, k, language)).join(', '),
                              })}
                            </>
                          )}
                        </p>
                      </li>
                    );
                  })}
                </ul>
              </section>
            ))}
          </>
        )}
      </section>
    </>
  );
}
