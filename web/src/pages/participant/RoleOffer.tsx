// "Next cohort" on the profile (GET/PUT /api/v1/me/role-offer, issue 7): the topics a person
// offers to mentor in and those they want to learn, for the programme team's invitations and as
// the start of their next questionnaire. Suggestions from their earlier tandems are marked as
// such ("you were a mentee in this topic") but never ticked for them: the person decides.
import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import { ApiError, call } from '../../api/client';
import type { Schemas } from '../../api/client';
import { Alert, Button, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import '../../styles/participant.css';

export type RoleOffer = Schemas['RoleOffer'];
type Role = 'mentor' | 'mentee';

/**
 * The problem document's messages by group: `mentor_topics[2]` belongs to the mentor group. The
 * message names the topic (`topicName`) the index points at, when it can.
 */
export function offerErrors(e: ApiError, sent: Record<Role, string[]>, topicName: (key: string) => string):
  Partial<Record<Role, string>> {
  const out: Partial<Record<Role, string>> = {};
  const items = [...(e.problem?.errors ?? [])];
  if (items.length === 0 && e.problem?.detail) {
    const at = e.problem.detail.indexOf(': ');
    if (at > 0) items.push({ field: e.problem.detail.slice(0, at), message: e.problem.detail.slice(at + 2) });
  }
  for (const item of items) {
    const m = /^(mentor|mentee)_topics(?:\[(\d+)\])?/.exec(item.field ?? '');
    if (!m) continue;
    const role = m[1] as Role;
    const key = m[2] !== undefined ? sent[role][Number(m[2])] : undefined;
    const text = key ? `${topicName(key)}: ${item.message}` : item.message;
    out[role] = out[role] ? `${out[role]} ${text}` : text;
  }
  return out;
}

export function RoleOfferCard() {
  const { t, language, formatDate } = useI18n();
  const errorText = useErrorText();
  const uid = useId();
  const [offer, setOffer] = useState<RoleOffer | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [chosen, setChosen] = useState<Record<Role, string[]>>({ mentor: [], mentee: [] });
  const [hidden, setHidden] = useState(false);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [groupErrors, setGroupErrors] = useState<Partial<Record<Role, string>>>({});
  const formRef = useRef<HTMLFormElement>(null);

  const show = useCallback((o: RoleOffer, tag: string | null) => {
    setOffer(o);
    setEtag(tag ?? `"${o.version}"`);
    setChosen({ mentor: [...o.mentor_topics], mentee: [...o.mentee_topics] });
  }, []);
  const load = useCallback(async () => {
    const r = await call('get', '/api/v1/me/role-offer');
    show(r.data, r.etag);
  }, [show]);

  useEffect(() => {
    load().catch((e: unknown) => {
      // An account without a person (an administrator only) has nothing to offer.
      if (e instanceof ApiError && (e.status === 403 || e.status === 404)) setHidden(true);
      else setError(errorText(e));
    });
  }, [load, errorText]);

  // The busy button is disabled, which drops the focus to the page: give it back afterwards.
  useEffect(() => {
    if (busy || document.activeElement !== document.body) return;
    formRef.current?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
  }, [busy]);

  if (hidden) return null;
  const names = new Map((offer?.topics ?? []).map((x) => [x.key, (language === 'de' ? x.name_de : x.name_en) || x.key]));
  const topicName = (key: string) => names.get(key) ?? key;

  const toggle = (role: Role, key: string, on: boolean) => {
    setChosen((c) => ({ ...c, [role]: on ? [...c[role].filter((k) => k !== key), key] : c[role].filter((k) => k !== key) }));
    setSaved(null);
    if (groupErrors[role]) setGroupErrors((g) => ({ ...g, [role]: undefined }));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!offer) return;
    // In the catalogue's order, whatever order the boxes were ticked in.
    const order = (keys: string[]) => offer.topics.map((x) => x.key).filter((k) => keys.includes(k));
    const body = { mentor_topics: order(chosen.mentor), mentee_topics: order(chosen.mentee) };
    setBusy(true);
    setSaved(null);
    setError(null);
    setGroupErrors({});
    try {
      const r = await call('put', '/api/v1/me/role-offer', { body, ifMatch: etag ?? '*' });
      show(r.data, r.etag);
      const none = r.data.mentor_topics.length === 0 && r.data.mentee_topics.length === 0;
      setSaved(t(none ? 'profile.offer.savedNone' : 'profile.offer.saved'));
    } catch (err) {
      if (err instanceof ApiError && err.status === 412) {
        await load().catch(() => undefined);
        setError(t('profile.offer.stale'));
      } else if (err instanceof ApiError && err.status === 400) {
        const byGroup = offerErrors(err, { mentor: body.mentor_topics, mentee: body.mentee_topics }, topicName);
        if (byGroup.mentor || byGroup.mentee) {
          setGroupErrors(byGroup);
          setError(t('profile.offer.problems'));
          const first = byGroup.mentor ? 'mentor' : 'mentee';
          window.setTimeout(() => formRef.current?.querySelector<HTMLInputElement>(`[data-group="${first}"] input`)?.focus(), 0);
        } else {
          setError(errorText(err));
        }
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const group = (role: Role) => {
    if (!offer) return null;
    const suggested = new Set(offer.suggestions[role]);
    const errorId = `${uid}-${role}-error`;
    const problem = groupErrors[role];
    return (
      <fieldset className={problem ? 'offer-group offer-group-invalid' : 'offer-group'} data-group={role}
        aria-describedby={problem ? errorId : undefined}>
        <legend>{t(role === 'mentor' ? 'profile.offer.mentor' : 'profile.offer.mentee')}</legend>
        {problem && <p className="field-error" id={errorId}>{problem}</p>}
        {offer.topics.map((x) => {
          const id = `${uid}-${role}-${x.key}`;
          const hintId = `${id}-hint`;
          return (
            <div key={x.key} className={suggested.has(x.key) ? 'choice offer-choice offer-suggested' : 'choice offer-choice'}>
              <input type="checkbox" id={id} checked={chosen[role].includes(x.key)}
                aria-describedby={suggested.has(x.key) ? hintId : undefined} aria-invalid={problem ? true : undefined}
                onChange={(ev) => toggle(role, x.key, ev.target.checked)} />
              <span>
                <label htmlFor={id} className="choice-label">{topicName(x.key)}</label>
                {suggested.has(x.key) && (
                  <span id={hintId} className="offer-hint">
                    {t(role === 'mentor' ? 'profile.offer.suggestedMentor' : 'profile.offer.suggestedMentee')}
                  </span>
                )}
              </span>
            </div>
          );
        })}
      </fieldset>
    );
  };

  const anySuggestion = offer !== null && (offer.suggestions.mentor.length > 0 || offer.suggestions.mentee.length > 0);
  return (
    <section className="card offer" aria-labelledby={`${uid}-title`}>
      <h2 id={`${uid}-title`} className="card-title">{t('profile.offer.title')}</h2>
      <p>{t('profile.offer.intro')}</p>
      {offer === null ? (
        !error && <p className="loading" role="status">{t('app.loading')}</p>
      ) : offer.topics.length === 0 ? (
        <p>{t('profile.offer.none')}</p>
      ) : (
        <form ref={formRef} onSubmit={(e) => void submit(e)} noValidate>
          {anySuggestion && <p className="meta">{t('profile.offer.suggestionsHint')}</p>}
          <div className="offer-groups">
            {group('mentor')}
            {group('mentee')}
          </div>
          {offer.updated_at !== null && (
            <p className="meta">{t('profile.offer.lastSaved', { date: formatDate(offer.updated_at) })}</p>
          )}
          <Button type="submit" busy={busy}>{t('profile.offer.save')}</Button>
        </form>
      )}
      <div role="status">{saved && <p className="admin-done">{saved}</p>}</div>
      {error && <Alert kind="error">{error}</Alert>}
    </section>
  );
}
