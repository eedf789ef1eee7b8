// One survey's answer form for its participant: every question type (scale 1–5, recommendation
// 0–10, single choice, free text, topic rating 0–3 per topic), the texts in the reader's
// language, required marks, a save with If-Match (`*` the first time) and the server's field
// errors (`answers.<key>`, `answers.<key>.<topic>`) at their question, the first one focused.
import { useEffect, useId, useRef, useState } from 'react';
import type { ReactNode } from 'react';
import { ApiError } from '../../api/client';
import { Alert, Button } from '../../components/ui';
import { useI18n } from '../../i18n';
import { reportsApi } from './api';
import { ifMatchOf, localized, MAX_FREE_TEXT } from './types';
import type { Answers, MySurvey, Question, SurveyResponse, TopicAnswers } from './types';
import '../../styles/reports.css';

export interface TopicName {
  key: string;
  name: string;
}

/** Field errors by question key, from a 400 problem (`answers.<key>` or `answers.<key>.<topic>`). */
export function errorsByQuestion(e: ApiError, questions: Question[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const err of e.problem?.errors ?? []) {
    const raw = err.field ?? '';
    const field = raw.startsWith('answers.') ? raw.slice('answers.'.length) : raw;
    const q = questions.find((x) => field === x.key || field.startsWith(`${x.key}.`));
    if (!q) continue;
    const topic = field.length > q.key.length ? field.slice(q.key.length + 1) : '';
    const text = topic ? `${topic}: ${err.message}` : err.message;
    out[q.key] = out[q.key] ? `${out[q.key]} ${text}` : (text ?? '');
  }
  return out;
}

/** The answers to send: unanswered and empty ones left out. */
export function cleanAnswers(answers: Answers): Answers {
  const out: Answers = {};
  for (const [k, v] of Object.entries(answers)) {
    if (typeof v === 'string' && v.trim() === '') continue;
    if (typeof v === 'object' && Object.keys(v).length === 0) continue;
    out[k] = typeof v === 'string' ? v.trim() : v;
  }
  return out;
}

function answered(v: Answers[string] | undefined): boolean {
  if (v === undefined) return false;
  if (typeof v === 'string') return v.trim() !== '';
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** A row of radio buttons from `from` to `to`; the ends carry the question's words. */
function NumberRadios({ name, from, to, value, low, high, disabled, describedBy, invalid, onChange, compact }: {
  name: string;
  from: number;
  to: number;
  value: number | undefined;
  low: string;
  high: string;
  disabled: boolean;
  describedBy?: string;
  invalid: boolean;
  onChange: (n: number) => void;
  compact?: boolean;
}) {
  const values = Array.from({ length: to - from + 1 }, (_, i) => from + i);
  return (
    <div className={compact ? 'sv-radios sv-radios-compact' : 'sv-radios'}>
      {values.map((n) => {
        const word = n === from ? low : n === to ? high : '';
        return (
          <label key={n} className={n === value ? 'sv-radio sv-radio-selected' : 'sv-radio'}>
            <input
              type="radio"
              name={name}
              value={n}
              checked={n === value}
              disabled={disabled}
              aria-describedby={describedBy}
              aria-invalid={invalid || undefined}
              onChange={() => onChange(n)}
            />
            <span className="sv-radio-number">{n}</span>
            {/* Narrow rows (0–10, 0–3) name the ends once above the row; the radios keep the words. */}
            {word && <span className={compact ? 'visually-hidden' : 'sv-radio-word'}>{word}</span>}
          </label>
        );
      })}
    </div>
  );
}

function QuestionBlock({ q, index, value, error, disabled, topics, onChange }: {
  q: Question;
  index: number;
  value: Answers[string] | undefined;
  error: string | undefined;
  disabled: boolean;
  topics: TopicName[];
  onChange: (v: Answers[string] | undefined) => void;
}) {
  const { t, language } = useI18n();
  const id = useId();
  const errorId = error ? `${id}-error` : undefined;
  const text = localized(q.text, language);
  const low = localized(q.low_label, language);
  const high = localized(q.high_label, language);
  const mark = q.required ? <span className="sv-required"> ({t('reports.survey.required')})</span> : null;
  const title = (
    <>
      <span className="sv-number">{index + 1}. </span>
      {text}
      {mark}
    </>
  );
  const errorLine = error && (
    <p className="field-error" id={errorId}>
      {error}
    </p>
  );
  const name = `${id}-${q.key}`;
  let body: ReactNode;
  if (q.type === 'free_text') {
    const s = typeof value === 'string' ? value : '';
    return (
      <div className={error ? 'sv-question field field-invalid' : 'sv-question field'} data-question={q.key}>
        <label htmlFor={`${id}-text`} className="sv-legend">{title}</label>
        <textarea
          id={`${id}-text`}
          className="input"
          rows={4}
          maxLength={MAX_FREE_TEXT}
          value={s}
          disabled={disabled}
          aria-describedby={[`${id}-hint`, errorId].filter(Boolean).join(' ')}
          aria-invalid={error ? true : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        <p className="field-hint" id={`${id}-hint`}>
          {t('reports.survey.textLimit', { used: s.length, max: MAX_FREE_TEXT })}
        </p>
        {errorLine}
      </div>
    );
  }
  const ends = (from: number, to: number) => (
    <p className="sv-ends" aria-hidden="true">
      <span>{from} = {low}</span>
      <span>{to} = {high}</span>
    </p>
  );
  if (q.type === 'scale' || q.type === 'recommendation') {
    const [from, to] = q.type === 'scale' ? [1, 5] : [0, 10];
    body = (
      <>
        {q.type === 'recommendation' && ends(from, to)}
        <NumberRadios name={name} from={from} to={to} value={typeof value === 'number' ? value : undefined}
          low={low} high={high} disabled={disabled} describedBy={errorId} invalid={!!error}
          compact={q.type === 'recommendation'} onChange={(n) => onChange(n)} />
      </>
    );
  } else if (q.type === 'single_choice') {
    body = (
      <div className="sv-choices">
        {(q.choices ?? []).map((c) => (
          <label key={c.key} className={value === c.key ? 'sv-choice sv-radio-selected' : 'sv-choice'}>
            <input
              type="radio"
              name={name}
              value={c.key}
              checked={value === c.key}
              disabled={disabled}
              aria-describedby={errorId}
              aria-invalid={error ? true : undefined}
              onChange={() => onChange(c.key)}
            />
            <span>{localized(c.label, language)}</span>
          </label>
        ))}
      </div>
    );
  } else {
    const ratings: TopicAnswers = typeof value === 'object' ? value : {};
    body = (
      <div className="sv-topics">
        {ends(0, 3)}
        {topics.map((topic) => (
          <fieldset key={topic.key} className="sv-topic">
            <legend>{topic.name}</legend>
            <NumberRadios name={`${name}-${topic.key}`} from={0} to={3} value={ratings[topic.key]}
              low={low} high={high} disabled={disabled} describedBy={errorId} invalid={!!error} compact
              onChange={(n) => onChange({ ...ratings, [topic.key]: n })} />
          </fieldset>
        ))}
      </div>
    );
  }
  return (
    <fieldset
      className={error ? 'sv-question field-invalid' : 'sv-question'}
      data-question={q.key}
      aria-describedby={errorId}
    >
      <legend className="sv-legend">{title}</legend>
      {body}
      {!q.required && value !== undefined && !disabled && (
        <button type="button" className="btn btn-link sv-clear" onClick={() => onChange(undefined)}>
          {t('reports.survey.clear')}
        </button>
      )}
      {errorLine}
    </fieldset>
  );
}

export function SurveyForm({ survey, topics, onSaved }: {
  survey: MySurvey;
  topics: TopicName[];
  onSaved?: (r: SurveyResponse) => void;
}) {
  const { t } = useI18n();
  const [answers, setAnswers] = useState<Answers>(survey.response?.answers ?? {});
  const [version, setVersion] = useState<number | null>(survey.response?.version ?? null);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [focusKey, setFocusKey] = useState<{ key: string } | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const readOnly = survey.frozen || survey.state !== 'open';

  // Focus the first control of the first question with an error.
  useEffect(() => {
    if (!focusKey || !formRef.current) return;
    const block = Array.from(formRef.current.querySelectorAll('[data-question]'))
      .find((e) => e.getAttribute('data-question') === focusKey.key);
    // A radio group's tab stop is its checked option.
    const control = block?.querySelector<HTMLElement>('input:checked') ?? block?.querySelector<HTMLElement>('input, textarea');
    control?.focus();
  }, [focusKey]);

  const save = async () => {
    setStatus(null);
    // Required questions first, here: the same words as the server's problems would give.
    const missing: Record<string, string> = {};
    for (const q of survey.questions) {
      if (q.required && !answered(answers[q.key])) missing[q.key] = t('reports.survey.missing');
    }
    if (Object.keys(missing).length > 0) {
      setErrors(missing);
      setStatus({ kind: 'error', text: t('reports.survey.fixErrors', { count: Object.keys(missing).length }) });
      setFocusKey({ key: survey.questions.find((q) => missing[q.key])!.key });
      return;
    }
    setBusy(true);
    try {
      const r = await reportsApi.saveResponse(survey.id, cleanAnswers(answers), ifMatchOf(version));
      setErrors({});
      setVersion(r.data.version);
      setStatus({ kind: 'success', text: t('reports.survey.saved') });
      onSaved?.(r.data);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && (e.problem?.errors?.length ?? 0) > 0) {
        const found = errorsByQuestion(e, survey.questions);
        setErrors(found);
        const first = survey.questions.find((q) => found[q.key]);
        setStatus({ kind: 'error', text: t('reports.survey.fixErrors', { count: Object.keys(found).length }) });
        if (first) setFocusKey({ key: first.key });
      } else if (e instanceof ApiError && e.status === 412) {
        setStatus({ kind: 'error', text: t('reports.survey.stale') });
      } else if (e instanceof ApiError && e.status === 409) {
        setStatus({ kind: 'error', text: t('reports.survey.frozenNow') });
      } else {
        setStatus({
          kind: 'error',
          text: e instanceof ApiError ? t('error.generic', { detail: e.message }) : t('error.network'),
        });
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <form
      ref={formRef}
      className="sv-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        if (!readOnly) void save();
      }}
    >
      {survey.frozen && <Alert kind="info">{t('reports.survey.frozen')}</Alert>}
      {!survey.frozen && survey.state !== 'open' && <Alert kind="info">{t('reports.survey.closedNotice')}</Alert>}
      {survey.questions.map((q, i) => (
        <QuestionBlock
          key={q.key}
          q={q}
          index={i}
          value={answers[q.key]}
          error={errors[q.key]}
          disabled={readOnly}
          topics={topics}
          onChange={(v) => {
            setAnswers((old) => {
              const next = { ...old };
              if (v === undefined) delete next[q.key];
              else next[q.key] = v;
              return next;
            });
          }}
        />
      ))}
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      {!readOnly && (
        <div className="form-footer sv-footer">
          <div className="card-actions">
            <Button type="submit" busy={busy}>
              {version === null ? t('reports.survey.send') : t('reports.survey.update')}
            </Button>
          </div>
        </div>
      )}
    </form>
  );
}
