// /team/programmes/{id}/surveys: the programme's four surveys (mid-term and final, for mentees
// and for mentors) with their state and responses, open / close / reopen (each confirmed), a
// question editor while nobody has answered, and the released results per question.
import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, call } from '../../api/client';
import type { Programme } from '../../api/client';
import { Alert, Badge, Button, Loading, TextInput, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { ConfirmDialog } from '../participant/shared';
import { TeamTabs } from '../team/TeamTabs';
import { topicName } from '../team/runTypes';
import { reportsApi } from './api';
import { Figure } from './ReportCharts';
import { SurveyResults } from './SurveyResults';
import { ifMatchOf, localized, QUESTION_TYPES } from './types';
import type { Question, QuestionType, Survey, SurveyResult } from './types';
import '../../styles/team.css';
import '../../styles/reports.css';

type Action = 'open' | 'close' | 'reopen';

export function surveyTitleKey(s: Pick<Survey, 'kind' | 'audience'>) {
  return `reports.survey.${s.kind}.${s.audience}` as const;
}

function emptyText() {
  return { de: '', en: '' };
}

/** A new question of `type` with the fields its type needs. */
export function newQuestion(type: QuestionType, taken: string[]): Question {
  let n = taken.length + 1;
  while (taken.includes(`question_${n}`)) n += 1;
  const q: Question = { key: `question_${n}`, type, text: emptyText(), required: false };
  if (type === 'scale' || type === 'recommendation' || type === 'topic_rating') {
    q.low_label = emptyText();
    q.high_label = emptyText();
  }
  if (type === 'single_choice') {
    q.choices = [
      { key: 'a', label: emptyText() },
      { key: 'b', label: emptyText() },
    ];
  }
  return q;
}

/** Changes a question's type, keeping its key, text and required mark. */
function retype(q: Question, type: QuestionType): Question {
  const fresh = newQuestion(type, []);
  return { ...fresh, key: q.key, text: q.text, required: q.required,
    low_label: fresh.low_label ? (q.low_label ?? fresh.low_label) : undefined,
    high_label: fresh.high_label ? (q.high_label ?? fresh.high_label) : undefined,
    choices: fresh.choices ? (q.choices ?? fresh.choices) : undefined };
}

function BothLanguages({ label, value, onChange, error }: {
  label: string;
  value: { de: string; en: string } | undefined;
  onChange: (v: { de: string; en: string }) => void;
  error?: string;
}) {
  const { t } = useI18n();
  const v = value ?? emptyText();
  return (
    <div className="grid-2">
      <TextInput label={`${label} (${t('lang.de')})`} lang="de" value={v.de} error={error}
        onChange={(e) => onChange({ ...v, de: e.target.value })} />
      <TextInput label={`${label} (${t('lang.en')})`} lang="en" value={v.en}
        onChange={(e) => onChange({ ...v, en: e.target.value })} />
    </div>
  );
}

/** The question editor: texts in both languages, type, choices, required; add, remove, move. */
export function QuestionEditor({ survey, onSaved, onCancel }: {
  survey: Survey;
  onSaved: (s: Survey) => void;
  onCancel: () => void;
}) {
  const { t, language } = useI18n();
  const errorText = useErrorText();
  const [questions, setQuestions] = useState<Question[]>(survey.questions);
  const [addType, setAddType] = useState<QuestionType>('scale');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<{ field: string; message: string }[]>([]);
  const [error, setError] = useState<string | null>(null);
  const problemsRef = useRef<HTMLDivElement>(null);

  const update = (i: number, q: Question) => setQuestions((old) => old.map((x, j) => (j === i ? q : x)));
  const move = (i: number, by: number) =>
    setQuestions((old) => {
      const next = [...old];
      const [q] = next.splice(i, 1);
      if (q) next.splice(i + by, 0, q);
      return next;
    });
  const fieldProblem = (i: number) =>
    problems.filter((p) => p.field === `questions[${i}]` || p.field.startsWith(`questions[${i}].`) ||
      p.field === questions[i]?.key || p.field.startsWith(`${questions[i]?.key}.`))
      .map((p) => p.message).join(' ') || undefined;

  const save = async () => {
    setBusy(true);
    setError(null);
    setProblems([]);
    try {
      const r = await reportsApi.saveQuestions(survey.id, questions, ifMatchOf(survey.version));
      onSaved(r.data);
    } catch (e) {
      if (e instanceof ApiError && e.status === 400 && (e.problem?.errors?.length ?? 0) > 0) {
        setProblems((e.problem?.errors ?? []).map((x) => ({ field: x.field ?? '', message: x.message ?? '' })));
      } else if (e instanceof ApiError && e.status === 409) setError(t('reports.editor.answered'));
      else if (e instanceof ApiError && e.status === 412) setError(t('reports.editor.stale'));
      else setError(errorText(e));
      problemsRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="sv-editor" onSubmit={(e) => { e.preventDefault(); void save(); }}>
      <div ref={problemsRef} tabIndex={-1}>
        {error && <Alert kind="error">{error}</Alert>}
        {problems.length > 0 && (
          <Alert kind="error">
            <p className="alert-line">{t('reports.editor.problems')}</p>
            <ul>
              {problems.map((p, i) => (
                <li key={i}>{p.field ? `${p.field}: ` : ''}{p.message}</li>
              ))}
            </ul>
          </Alert>
        )}
      </div>
      <ol className="sv-editor-list">
        {questions.map((q, i) => (
          <li key={i} className="sv-editor-item">
            <fieldset className="topic-row">
              <legend>{t('reports.editor.question', { n: i + 1, text: localized(q.text, language) || q.key })}</legend>
              <div className="grid-2">
                <TextInput label={t('reports.editor.key')} value={q.key} hint={t('reports.editor.keyHint')}
                  onChange={(e) => update(i, { ...q, key: e.target.value.toLowerCase() })} />
                <div className="field">
                  <label htmlFor={`sv-type-${survey.id}-${i}`}>{t('reports.editor.type')}</label>
                  <select id={`sv-type-${survey.id}-${i}`} className="input" value={q.type}
                    onChange={(e) => update(i, retype(q, e.target.value as QuestionType))}>
                    {QUESTION_TYPES.map((x) => (
                      <option key={x} value={x}>{t(`reports.type.${x}`)}</option>
                    ))}
                  </select>
                </div>
              </div>
              <BothLanguages label={t('reports.editor.text')} value={q.text} error={fieldProblem(i)}
                onChange={(v) => update(i, { ...q, text: v })} />
              {q.low_label && (
                <BothLanguages label={t('reports.editor.low')} value={q.low_label}
                  onChange={(v) => update(i, { ...q, low_label: v })} />
              )}
              {q.high_label && (
                <BothLanguages label={t('reports.editor.high')} value={q.high_label}
                  onChange={(v) => update(i, { ...q, high_label: v })} />
              )}
              {q.choices && (
                <div className="sv-editor-choices">
                  <p className="readonly-label">{t('reports.editor.choices')}</p>
                  {q.choices.map((c, ci) => (
                    <div key={ci} className="sv-editor-choice">
                      <TextInput label={t('reports.editor.choiceKey', { n: ci + 1 })} value={c.key}
                        onChange={(e) => update(i, { ...q, choices: q.choices!.map((x, k) => (k === ci ? { ...x, key: e.target.value.toLowerCase() } : x)) })} />
                      <BothLanguages label={t('reports.editor.choiceLabel', { n: ci + 1 })} value={c.label}
                        onChange={(v) => update(i, { ...q, choices: q.choices!.map((x, k) => (k === ci ? { ...x, label: v } : x)) })} />
                      <Button variant="secondary" className="btn-small" disabled={q.choices!.length <= 2}
                        onClick={() => update(i, { ...q, choices: q.choices!.filter((_, k) => k !== ci) })}>
                        {t('reports.editor.removeChoice', { n: ci + 1 })}
                      </Button>
                    </div>
                  ))}
                  <Button variant="secondary" className="btn-small"
                    onClick={() => update(i, { ...q, choices: [...q.choices!, { key: `choice_${q.choices!.length + 1}`, label: emptyText() }] })}>
                    {t('reports.editor.addChoice')}
                  </Button>
                </div>
              )}
              <div className="choice">
                <input type="checkbox" id={`sv-req-${survey.id}-${i}`} checked={q.required}
                  onChange={(e) => update(i, { ...q, required: e.target.checked })} />
                <label htmlFor={`sv-req-${survey.id}-${i}`} className="choice-label">{t('reports.editor.required')}</label>
              </div>
              <div className="topic-actions">
                <Button variant="secondary" className="btn-small" disabled={i === 0} onClick={() => move(i, -1)}>
                  {t('reports.editor.up', { n: i + 1 })}
                </Button>
                <Button variant="secondary" className="btn-small" disabled={i === questions.length - 1}
                  onClick={() => move(i, 1)}>
                  {t('reports.editor.down', { n: i + 1 })}
                </Button>
                <Button variant="danger" className="btn-small" disabled={questions.length <= 1}
                  onClick={() => setQuestions((old) => old.filter((_, j) => j !== i))}>
                  {t('reports.editor.remove', { n: i + 1 })}
                </Button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <div className="sv-editor-add">
        <div className="field">
          <label htmlFor={`sv-add-${survey.id}`}>{t('reports.editor.addType')}</label>
          <select id={`sv-add-${survey.id}`} className="input" value={addType}
            onChange={(e) => setAddType(e.target.value as QuestionType)}>
            {QUESTION_TYPES.map((x) => (
              <option key={x} value={x}>{t(`reports.type.${x}`)}</option>
            ))}
          </select>
        </div>
        <Button variant="secondary" onClick={() => setQuestions((old) => [...old, newQuestion(addType, old.map((x) => x.key))])}>
          {t('reports.editor.add')}
        </Button>
      </div>
      <div className="form-footer">
        <div className="card-actions">
          <Button type="submit" busy={busy}>{t('reports.editor.save')}</Button>
          <Button variant="secondary" onClick={onCancel}>{t('reports.editor.cancel')}</Button>
        </div>
      </div>
    </form>
  );
}

function SurveyCard({ survey, programme, onChange }: {
  survey: Survey;
  programme: Programme;
  onChange: (s: Survey) => void;
}) {
  const { t, formatDate, language } = useI18n();
  const errorText = useErrorText();
  const [confirm, setConfirm] = useState<Action | null>(null);
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState<{ kind: 'success' | 'error'; text: string } | null>(null);
  const [editing, setEditing] = useState(false);
  const [result, setResult] = useState<SurveyResult | null | undefined>(undefined);
  const actionRef = useRef<HTMLButtonElement>(null);
  const title = t(surveyTitleKey(survey));
  const headingId = `sv-${survey.id}`;
  const action: Action | null = survey.state === 'draft' ? 'open' : survey.state === 'open' ? 'close' : 'reopen';

  const loadResults = useCallback(() => {
    reportsApi.results(survey.id).then((r) => setResult(r.result)).catch((e: unknown) => {
      setResult(null);
      setStatus({ kind: 'error', text: errorText(e) });
    });
  }, [survey.id, errorText]);

  useEffect(() => {
    if (survey.released) loadResults();
  }, [survey.released, survey.version, loadResults]);

  const act = async (a: Action) => {
    setBusy(true);
    setStatus(null);
    try {
      const r = await reportsApi.act(survey.id, a);
      setConfirm(null);
      onChange(r.data);
      setStatus({ kind: 'success', text: t(`reports.action.${a}.done`) });
    } catch (e) {
      setConfirm(null);
      setStatus({
        kind: 'error',
        text: e instanceof ApiError && e.status === 409 ? t('reports.action.refused', { detail: e.message }) : errorText(e),
      });
    } finally {
      setBusy(false);
    }
  };

  const names = (key: string) => topicName(programme, key, language);
  return (
    <section className="card sv-team-card" aria-labelledby={headingId}>
      <h2 id={headingId} className="card-title">
        {title} <Badge tone={survey.state === 'open' ? 'good' : survey.state === 'closed' ? 'neutral' : 'warn'}>
          {t(`reports.state.${survey.state}`)}
        </Badge>
      </h2>
      <dl className="pairs team-dl">
        <dt>{t('reports.dash.invited')}</dt>
        <dd><Figure value={survey.invited} /></dd>
        <dt>{t('reports.survey.responses')}</dt>
        <dd><Figure value={survey.responses} /></dd>
        {survey.opened_at != null && (
          <>
            <dt>{t('reports.survey.openedAt')}</dt>
            <dd>{formatDate(survey.opened_at)}</dd>
          </>
        )}
        {survey.closed_at != null && (
          <>
            <dt>{t('reports.survey.closedAt')}</dt>
            <dd>{formatDate(survey.closed_at)}</dd>
          </>
        )}
        {survey.remind_at != null && (survey.state === 'open' || survey.reminded_at != null) && (
          <>
            <dt>{t('reports.survey.reminder')}</dt>
            <dd>
              {survey.reminded_at != null
                ? t('reports.survey.remindedAt', { date: formatDate(survey.reminded_at) })
                : t('reports.survey.remindAt', { date: formatDate(survey.remind_at) })}
            </dd>
          </>
        )}
        <dt>{t('reports.survey.questions')}</dt>
        <dd>{survey.questions.length}</dd>
      </dl>
      {status && <Alert kind={status.kind}>{status.text}</Alert>}
      {!editing && (
        <div className="card-actions">
          {action && (
            <button ref={actionRef} type="button" className={`btn btn-${action === 'close' ? 'danger' : 'primary'}`}
              disabled={busy} onClick={() => setConfirm(action)}>
              {t(`reports.action.${action}`)}
              <span className="visually-hidden">: {title}</span>
            </button>
          )}
          {survey.editable && (
            <Button variant="secondary" onClick={() => setEditing(true)}>
              {t('reports.editor.edit')}
              <span className="visually-hidden">: {title}</span>
            </Button>
          )}
        </div>
      )}
      {!survey.editable && !editing && <p className="meta">{t('reports.editor.locked')}</p>}
      {editing && (
        <QuestionEditor
          survey={survey}
          onCancel={() => setEditing(false)}
          onSaved={(s) => {
            setEditing(false);
            onChange(s);
            setStatus({ kind: 'success', text: t('reports.editor.saved') });
          }}
        />
      )}
      {!editing && (
        <details className="sv-questions">
          <summary>{t('reports.survey.showQuestions')}</summary>
          <ol>
            {survey.questions.map((q) => (
              <li key={q.key}>
                {localized(q.text, language)}{' '}
                <span className="meta-inline">
                  ({t(`reports.type.${q.type}`)}{q.required ? `, ${t('reports.survey.required')}` : ''})
                </span>
              </li>
            ))}
          </ol>
        </details>
      )}
      <h3 className="sv-results-title">{t('reports.results.title')}</h3>
      {survey.released ? (
        result === undefined ? <Loading /> : (
          <SurveyResults questions={survey.questions} result={result} topicName={names} headingLevel={4} />
        )
      ) : (
        <p className="p-muted">{t('reports.results.notReleased')}</p>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm ? t(`reports.action.${confirm}.confirmTitle`, { survey: title }) : ''}
        confirmLabel={confirm ? t(`reports.action.${confirm}`) : ''}
        cancelLabel={t('reports.action.cancel')}
        busy={busy}
        onConfirm={() => confirm && void act(confirm)}
        onCancel={() => setConfirm(null)}
        returnFocus={actionRef}
      >
        <p>{confirm ? t(`reports.action.${confirm}.confirmText`) : ''}</p>
      </ConfirmDialog>
    </section>
  );
}

export function TeamSurveysPage() {
  const { id: idParam } = useParams();
  const id = Number(idParam);
  const { t } = useI18n();
  const errorText = useErrorText();
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [surveys, setSurveys] = useState<Survey[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([call('get', '/api/v1/programmes/{id}', { path: { id } }), reportsApi.surveys(id)])
      .then(([p, s]) => {
        if (!live) return;
        setProgramme(p.data);
        setSurveys(s);
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [id, errorText]);

  if (error) return <Alert kind="error">{error}</Alert>;
  if (!programme || !surveys) return <Loading />;
  return (
    <>
      <p>
        <Link to="/team">{t('team.back')}</Link>
      </p>
      <h1>{t('team.programmeTitle', { name: programme.name })}</h1>
      <TeamTabs id={id} current="surveys" />
      <p className="meta">{t('reports.surveys.intro', { k: programme.min_group_size ?? 5 })}</p>
      {surveys.map((s) => (
        <SurveyCard key={s.id} survey={s} programme={programme}
          onChange={(next) => setSurveys((old) => (old ?? []).map((x) => (x.id === next.id ? next : x)))} />
      ))}
    </>
  );
}
