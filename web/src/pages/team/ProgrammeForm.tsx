// The programme settings form, shared by "new programme" and "edit settings": name, the topic
// catalogue (add, remove, reorder; key, German and English name, weight), kind, mentee minimum
// level, term and meetings, enrolment deadline (local time), the confidentiality agreement in
// German and English, how long a tandem's protected content is kept and whether the team sees
// the meetings held per tandem. Once enrolment opened, what participants answered against is
// shown read-only (the server refuses changes to it); a closed programme shows everything
// read-only but the meeting counts, which change at any time.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { Programme } from '../../api/client';
import { Badge, Button, TextArea, TextInput } from '../../components/ui';
import { useI18n } from '../../i18n';
import { newTopic } from './programmeDraft';
import type { FieldErrors, ProgrammeDraft, TopicDraft } from './programmeDraft';
import '../../styles/team.css';

export interface ProgrammeFormProps {
  draft: ProgrammeDraft;
  onChange: (update: (d: ProgrammeDraft) => ProgrammeDraft) => void;
  errors: FieldErrors;
  /** Drops the messages of the fields for which `which` holds (the person changed them). */
  onClearErrors: (which: (field: string) => boolean) => void;
  /** Grows with each rejected submission: focus then moves to the first marked field. */
  attempt: number;
  /** The programme's state; null for a programme not created yet. */
  state: Programme['state'] | null;
  onSubmit: () => void;
  /** Messages and buttons below the fields. */
  children: ReactNode;
}

export function ProgrammeForm({ draft, onChange, errors, onClearErrors, attempt, state, onSubmit, children }:
  ProgrammeFormProps) {
  const { t, formatDate } = useI18n();
  const formRef = useRef<HTMLFormElement>(null);
  const uid = useId();
  const creating = state === null;
  const closed = state === 'closed';
  const frozen = !creating && state !== 'draft';
  const deadlineFixed = closed || (frozen && state !== 'enrolling');
  const set = <K extends keyof ProgrammeDraft>(key: K, value: ProgrammeDraft[K]) => {
    onChange((d) => ({ ...d, [key]: value }));
    if (errors[key]) onClearErrors((f) => f === key);
  };

  useEffect(() => {
    if (attempt === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempt]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  const deadlineMs = draft.deadline ? new Date(draft.deadline).getTime() : NaN;

  return (
    <form ref={formRef} className="programme-form" onSubmit={submit} noValidate>
      <section className="card" aria-labelledby="pf-general">
        <h2 id="pf-general" className="card-title">{t('manage.settings')}</h2>
        {closed && <p className="meta">{t('manage.closedReadOnly')}</p>}
        <TextInput label={t('manage.name')} value={draft.name} maxLength={200} required readOnly={closed}
          error={errors.name} onChange={(e) => set('name', e.target.value)} autoComplete="off" />

        {frozen ? (
          <ReadOnly label={t('manage.mode')}>
            {t(draft.mode === 'open' ? 'manage.mode.open' : 'manage.mode.reverse')}
          </ReadOnly>
        ) : (
          <fieldset className={errors.mode ? 'field field-invalid' : 'field'}>
            <legend>{t('manage.mode')}</legend>
            {(['reverse', 'open'] as const).map((mode) => (
              <div key={mode} className="choice">
                <input type="radio" id={`${uid}-mode-${mode}`} name="programme-mode" value={mode}
                  checked={draft.mode === mode} aria-describedby={`${uid}-mode-${mode}-hint`}
                  onChange={() => set('mode', mode)} />
                <span>
                  <label htmlFor={`${uid}-mode-${mode}`} className="choice-label">
                    {t(mode === 'open' ? 'manage.mode.open' : 'manage.mode.reverse')}
                  </label>
                  <span id={`${uid}-mode-${mode}-hint`} className="choice-hint">
                    {t(mode === 'open' ? 'manage.mode.openHint' : 'manage.mode.reverseHint')}
                  </span>
                </span>
              </div>
            ))}
            {errors.mode && <p className="field-error">{errors.mode}</p>}
          </fieldset>
        )}

        {frozen ? (
          <ReadOnly label={t('manage.menteeLevel')}>{draft.mentee_min_level}</ReadOnly>
        ) : (
          <TextInput label={t('manage.menteeLevel')} hint={t('manage.menteeLevelHint')} type="number" min={0}
            max={1000} inputMode="numeric" value={draft.mentee_min_level} error={errors.mentee_min_level}
            className="input input-number" onChange={(e) => set('mentee_min_level', e.target.value)} />
        )}

        {deadlineFixed ? (
          <ReadOnly label={t('manage.deadline')} hint={closed ? undefined : t('manage.deadlineFixed')}>
            {Number.isNaN(deadlineMs) ? t('manage.notSet') : formatDate(deadlineMs)}
          </ReadOnly>
        ) : (
          <TextInput label={t('manage.deadline')} hint={t('manage.deadlineHint')} type="datetime-local"
            value={draft.deadline} error={errors.deadline} className="input input-date"
            onChange={(e) => set('deadline', e.target.value)} />
        )}
      </section>

      <TopicEditor draft={draft} onChange={onChange} errors={errors} onClearErrors={onClearErrors} creating={creating} frozen={frozen}
        closed={closed} />

      <section className="card" aria-labelledby="pf-term">
        <h2 id="pf-term" className="card-title">{t('manage.term')}</h2>
        <div className="grid-2">
          <TextInput label={t('manage.termMin')} type="number" min={1} max={60} inputMode="numeric" readOnly={closed}
            value={draft.term_min_months} error={errors.term_min_months}
            onChange={(e) => set('term_min_months', e.target.value)} />
          <TextInput label={t('manage.termMax')} type="number" min={1} max={60} inputMode="numeric" readOnly={closed}
            value={draft.term_max_months} error={errors.term_max_months}
            onChange={(e) => set('term_max_months', e.target.value)} />
          <TextInput label={t('manage.meetingsMin')} type="number" min={1} max={100} inputMode="numeric"
            readOnly={closed} value={draft.target_meetings_min} error={errors.target_meetings_min}
            onChange={(e) => set('target_meetings_min', e.target.value)} />
          <TextInput label={t('manage.meetingsMax')} type="number" min={1} max={100} inputMode="numeric"
            readOnly={closed} value={draft.target_meetings_max} error={errors.target_meetings_max}
            onChange={(e) => set('target_meetings_max', e.target.value)} />
        </div>
        {/* Editable in every state, closed too: the works agreement may change at any time. */}
        <div className="choice">
          <input type="checkbox" id={`${uid}-meeting-counts`} checked={draft.show_meeting_counts}
            aria-describedby={`${uid}-meeting-counts-hint`}
            onChange={(e) => set('show_meeting_counts', e.target.checked)} />
          <span>
            <label htmlFor={`${uid}-meeting-counts`} className="choice-label">{t('manage.meetingCounts')}</label>
            <span id={`${uid}-meeting-counts-hint`} className="choice-hint">{t('manage.meetingCountsHint')}</span>
          </span>
        </div>
        {/* Issue 8: the reports' minimum group size and the partners' feedback to each other. */}
        <TextInput label={t('reports.settings.minGroup')}
          hint={frozen ? t('reports.settings.minGroupFixed') : t('reports.settings.minGroupHint')} type="number"
          min={3} max={1000} inputMode="numeric" className="input input-number" readOnly={frozen || closed}
          value={draft.min_group_size} error={errors.min_group_size}
          onChange={(e) => set('min_group_size', e.target.value)} />
        <div className="choice">
          <input type="checkbox" id={`${uid}-partner-feedback`} checked={draft.partner_feedback}
            aria-describedby={`${uid}-partner-feedback-hint`} disabled={closed}
            onChange={(e) => set('partner_feedback', e.target.checked)} />
          <span>
            <label htmlFor={`${uid}-partner-feedback`} className="choice-label">{t('reports.settings.feedback')}</label>
            <span id={`${uid}-partner-feedback-hint`} className="choice-hint">{t('reports.settings.feedbackHint')}</span>
          </span>
        </div>
      </section>

      <section className="card" aria-labelledby="pf-agreement">
        <h2 id="pf-agreement" className="card-title">{t('manage.agreement')}</h2>
        <p className="meta">{t('manage.agreementIntro')}</p>
        <TextArea label={t('manage.agreementDe')} lang="de" rows={8} value={draft.agreement_de} readOnly={closed}
          hint={creating ? t('manage.agreementHintNew') : undefined} error={errors.agreement_de} maxLength={20000}
          onChange={(e) => set('agreement_de', e.target.value)} />
        <TextArea label={t('manage.agreementEn')} lang="en" rows={8} value={draft.agreement_en} readOnly={closed}
          hint={creating ? t('manage.agreementHintNew') : undefined} error={errors.agreement_en} maxLength={20000}
          onChange={(e) => set('agreement_en', e.target.value)} />
        <TextInput label={t('manage.retention')} hint={t('manage.retentionHint')} type="number" min={1} max={120}
          inputMode="numeric" className="input input-number" readOnly={closed} value={draft.retention_months}
          error={errors.retention_months} onChange={(e) => set('retention_months', e.target.value)} />
      </section>

      <div className="form-footer">{children}</div>
    </form>
  );
}

/** A setting that can no longer change: its label, its value, "fixed". */
function ReadOnly({ label, hint, children }: { label: string; hint?: string; children: ReactNode }) {
  const { t } = useI18n();
  return (
    <div className="field readonly">
      <p className="readonly-label">{label}</p>
      <p className="readonly-value">
        {children} <Badge>{t('manage.fixed')}</Badge>
      </p>
      {hint && <p className="field-hint">{hint}</p>}
    </div>
  );
}

function TopicEditor({ draft, onChange, errors, onClearErrors, creating, frozen, closed }: {
  draft: ProgrammeDraft;
  onChange: (update: (d: ProgrammeDraft) => ProgrammeDraft) => void;
  errors: FieldErrors;
  onClearErrors: (which: (field: string) => boolean) => void;
  creating: boolean;
  frozen: boolean;
  closed: boolean;
}) {
  const { t, language } = useI18n();
  const [announce, setAnnounce] = useState('');
  const sectionRef = useRef<HTMLElement>(null);
  const [focusTarget, setFocusTarget] = useState<string | null>(null);
  const topics = draft.topics;
  const nameOf = (x: TopicDraft, i: number) =>
    (language === 'de' ? x.name_de : x.name_en).trim() || x.key.trim() || t('manage.topic.n', { n: i + 1 });

  useEffect(() => {
    if (!focusTarget) return;
    sectionRef.current?.querySelector<HTMLElement>(`[data-focus="${focusTarget}"]`)?.focus();
    setFocusTarget(null);
  }, [focusTarget, topics]);

  // Messages are by position: a change of the list's shape drops them all.
  const setTopics = (next: TopicDraft[]) => {
    onChange((d) => ({ ...d, topics: next }));
    onClearErrors((f) => f.startsWith('topics'));
  };
  const update = (i: number, uid: number, field: 'key' | 'name_de' | 'name_en' | 'weight', value: string) => {
    onChange((d) => ({ ...d, topics: d.topics.map((x) => (x.uid === uid ? { ...x, [field]: value } : x)) }));
    onClearErrors((f) => f === `topics/${i}/${field}` || (field === 'key' && f.endsWith('/key')));
  };

  const move = (i: number, by: -1 | 1) => {
    const j = i + by;
    const a = topics[i];
    const b = topics[j];
    if (!a || !b) return;
    const next = topics.map((x, k) => (k === i ? b : k === j ? a : x));
    setTopics(next);
    setAnnounce(t('manage.topic.moved', { name: nameOf(a, i), n: j + 1 }));
    // Keep the focus on the pressed button; at the end of the list, on the other direction's.
    const atEdge = (by === -1 && j === 0) || (by === 1 && j === topics.length - 1);
    const dir = atEdge ? (by === -1 ? 'down' : 'up') : by === -1 ? 'up' : 'down';
    setFocusTarget(`${a.uid}-${dir}`);
  };
  const remove = (i: number) => {
    const gone = topics[i];
    if (!gone) return;
    const next = topics.filter((_, k) => k !== i);
    setTopics(next);
    setAnnounce(t('manage.topic.removed', { name: nameOf(gone, i) }));
    const neighbour = next[i] ?? next[i - 1];
    setFocusTarget(neighbour ? `${neighbour.uid}-remove` : 'add');
  };
  const add = () => {
    const topic = newTopic();
    setTopics([...topics, topic]);
    setAnnounce(t('manage.topic.added', { n: topics.length + 1 }));
    setFocusTarget(`${topic.uid}-key`);
  };

  return (
    <section ref={sectionRef} className="card" aria-labelledby="pf-topics">
      <h2 id="pf-topics" className="card-title">{t('manage.topics')}</h2>
      <p className="meta">{frozen ? t('manage.topicsFrozen') : t('manage.topicsHint')}</p>
      {creating && <p className="meta">{t('manage.topicsHintNew')}</p>}
      {errors.topics && <p className="field-error" role="alert">{errors.topics}</p>}
      {topics.length === 0 ? (
        <p>{t('manage.topic.none')}</p>
      ) : (
        <ol className="topic-editor">
          {topics.map((x, i) => {
            const name = nameOf(x, i);
            const e = (f: string) => errors[`topics/${i}/${f}`];
            return (
              <li key={x.uid} className="topic-row">
                <fieldset>
                  <legend>{t('manage.topic.n', { n: i + 1 })}{name !== t('manage.topic.n', { n: i + 1 }) && `: ${name}`}</legend>
                  <div className="topic-fields">
                    {frozen ? (
                      <ReadOnly label={`${t('manage.topic.key')} · ${t('manage.topic.weight')}`}>
                        <code>{x.key}</code> · {t('manage.topic.weightValue', { weight: x.weight })}
                      </ReadOnly>
                    ) : (
                      <TextInput label={t('manage.topic.key')} value={x.key} maxLength={64} error={e('key')}
                        autoComplete="off" spellCheck={false} data-focus={`${x.uid}-key`}
                        onChange={(ev) => update(i, x.uid, 'key', ev.target.value)} />
                    )}
                    <TextInput label={t('manage.topic.nameDe')} lang="de" value={x.name_de} maxLength={200}
                      error={e('name_de')} readOnly={closed} onChange={(ev) => update(i, x.uid, 'name_de', ev.target.value)} />
                    <TextInput label={t('manage.topic.nameEn')} lang="en" value={x.name_en} maxLength={200}
                      error={e('name_en')} readOnly={closed} onChange={(ev) => update(i, x.uid, 'name_en', ev.target.value)} />
                    {!frozen && (
                      <TextInput label={t('manage.topic.weight')} type="number" min={1} max={100} inputMode="numeric"
                        className="input input-number" value={x.weight} error={e('weight')}
                        onChange={(ev) => update(i, x.uid, 'weight', ev.target.value)} />
                    )}
                  </div>
                  {!frozen && (
                    <div className="topic-actions">
                      <Button variant="secondary" className="btn-small" disabled={i === 0}
                        aria-label={t('manage.topic.upNamed', { name })} data-focus={`${x.uid}-up`}
                        onClick={() => move(i, -1)}>
                        <span aria-hidden="true">↑ </span>{t('manage.topic.up')}
                      </Button>
                      <Button variant="secondary" className="btn-small" disabled={i === topics.length - 1}
                        aria-label={t('manage.topic.downNamed', { name })} data-focus={`${x.uid}-down`}
                        onClick={() => move(i, 1)}>
                        <span aria-hidden="true">↓ </span>{t('manage.topic.down')}
                      </Button>
                      <Button variant="link" className="btn-small" aria-label={t('manage.topic.removeNamed', { name })}
                        data-focus={`${x.uid}-remove`} onClick={() => remove(i)}>
                        {t('manage.topic.remove')}
                      </Button>
                    </div>
                  )}
                </fieldset>
              </li>
            );
          })}
        </ol>
      )}
      {!frozen && (
        <Button variant="secondary" data-focus="add" onClick={add}>{t('manage.topic.add')}</Button>
      )}
      <p className="visually-hidden" role="status">{announce}</p>
    </section>
  );
}
