import { useCallback, useEffect, useRef, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import type { Enrolment, EnrolmentInput, Programme } from '../api/client';
import { Alert, Badge, Button, Card, Loading, Scale, Select, TextArea, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';
import { PartnersPage } from './participant/Partners';
import { enrolmentFromPrevious, previousToStartFrom } from './participant/previous';
import { ConfirmDialog } from './participant/shared';
import { enrolmentOpen, partnersOpen } from './Programmes';

const AUTOSAVE_MS = 1500;
const LEVELS = [0, 1, 2, 3] as const;
const MEETING_LANGUAGES = ['de', 'en'];

type Answers = Record<string, { interest: number; skill: number; experience: string }>;

interface Form {
  mentor_capacity: number;
  mentee_capacity: number;
  languages: string[];
  availability: string;
  answers: Answers;
}

function formOf(programme: Programme, enrolment: Enrolment): Form {
  const answers: Answers = {};
  for (const topic of programme.topics) answers[topic.key] = { interest: 0, skill: 0, experience: '' };
  for (const a of enrolment.answers ?? []) {
    answers[a.topic] = { interest: a.interest, skill: a.skill, experience: a.experience ?? '' };
  }
  return {
    mentor_capacity: enrolment.mentor_capacity,
    mentee_capacity: enrolment.mentee_capacity,
    languages: enrolment.languages.length ? enrolment.languages : ['de'],
    availability: enrolment.availability,
    answers,
  };
}

function inputOf(programme: Programme, form: Form): EnrolmentInput {
  return {
    mentor_capacity: form.mentor_capacity,
    mentee_capacity: form.mentee_capacity,
    languages: form.languages,
    availability: form.availability,
    answers: programme.topics.map((topic) => {
      const a = form.answers[topic.key] ?? { interest: 0, skill: 0, experience: '' };
      return { topic: topic.key, interest: a.interest, skill: a.skill, experience: a.experience };
    }),
  };
}

/** Experience is needed from skill 2 on: the topics where it is missing. */
function missingExperience(form: Form): Set<string> {
  const missing = new Set<string>();
  for (const [topic, a] of Object.entries(form.answers)) {
    if (a.skill >= 2 && !a.experience.trim()) missing.add(topic);
  }
  return missing;
}

type SaveState = 'idle' | 'dirty' | 'saving' | 'saved';

/**
 * /programmes/:id/enrolment (the questionnaire); with `partners`, /programmes/:id/partners (the
 * suggestions of an open programme).
 */
export function EnrolmentPage({ partners = false }: { partners?: boolean }) {
  return partners ? <PartnersPage /> : <QuestionnairePage />;
}

function QuestionnairePage() {
  const { id } = useParams();
  const programmeId = Number(id);
  const { t, language, formatDate } = useI18n();
  const errorText = useErrorText();
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [menteeAllowed, setMenteeAllowed] = useState(true);
  // The error itself, put into words when shown: a language switch must not reload the form.
  const [loadError, setLoadError] = useState<unknown>(null);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [showMissing, setShowMissing] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [withdrawing, setWithdrawing] = useState(false);
  const [withdrawError, setWithdrawError] = useState<string | null>(null);
  const [withdrawn, setWithdrawn] = useState(false);
  // The programme whose answers the form started from (issue 7), until the person saves: no
  // autosave before that, so that nothing is stored that they did not look at.
  const [startedFrom, setStartedFrom] = useState<string | null>(null);
  const startedFromRef = useRef<string | null>(null);
  startedFromRef.current = startedFrom;
  const withdrawButton = useRef<HTMLButtonElement>(null);
  const withdrawnMessage = useRef<HTMLDivElement>(null);
  const timer = useRef<number | undefined>(undefined);
  // The latest ETag, read when a save starts (an autosave timer outlives the render that set it).
  const etagRef = useRef<string | null>(null);
  etagRef.current = etag;

  const load = useCallback(async () => {
    const [p, e, me] = await Promise.all([
      call('get', '/api/v1/programmes/{id}', { path: { id: programmeId } }),
      call('get', '/api/v1/programmes/{id}/enrolment', { path: { id: programmeId } }),
      call('get', '/api/v1/me'),
    ]);
    const allowed = (me.data.person?.level ?? 0) >= p.data.mentee_min_level;
    const previous = enrolmentOpen(p.data) ? previousToStartFrom(e.data) : null;
    setProgramme(p.data);
    setEnrolment(e.data);
    setEtag(e.etag ?? `"${e.data.version}"`);
    setForm(formOf(p.data, previous ? enrolmentFromPrevious(p.data, e.data, previous, allowed) : e.data));
    setStartedFrom(previous ? previous.programme_name : null);
    setMenteeAllowed(allowed);
    return previous !== null;
  }, [programmeId]);

  useEffect(() => {
    load()
      .then((fromPrevious) => fromPrevious && setSaveState('dirty'))
      .catch((e: unknown) => setLoadError(e));
  }, [load]);

  const save = useCallback(
    async (current: Form) => {
      const ifMatch = etagRef.current;
      if (!programme || !ifMatch) return;
      if (missingExperience(current).size > 0) {
        setShowMissing(true);
        setSaveState('dirty');
        return;
      }
      setSaveState('saving');
      setSaveError(null);
      try {
        const r = await call('put', '/api/v1/programmes/{id}/enrolment', {
          path: { id: programmeId },
          body: inputOf(programme, current),
          ifMatch,
        });
        setEnrolment(r.data);
        etagRef.current = r.etag ?? `"${r.data.version}"`;
        setEtag(etagRef.current);
        setServerErrors({});
        setStartedFrom(null);
        setSaveState('saved');
      } catch (e) {
        setSaveState('dirty');
        if (e instanceof ApiError && e.status === 412) {
          setSaveError(t('enrolment.stale'));
          setSaveState((await load()) ? 'dirty' : 'idle');
        } else if (e instanceof ApiError && e.status === 400 && e.problem?.errors?.length) {
          const byField: Record<string, string> = {};
          for (const err of e.problem.errors) if (err.field) byField[err.field] = err.message;
          setServerErrors(byField);
          setSaveError(t('enrolment.problems'));
        } else {
          setSaveError(errorText(e));
        }
      }
    },
    [programme, programmeId, load, t, errorText],
  );

  // Autosave: a moment after the last change, when nothing required is missing.
  const change = (update: (f: Form) => Form) => {
    setForm((f) => {
      if (!f) return f;
      const next = update(f);
      window.clearTimeout(timer.current);
      setSaveState('dirty');
      const autosave = programme && enrolmentOpen(programme) && startedFromRef.current === null;
      if (missingExperience(next).size === 0 && autosave) {
        timer.current = window.setTimeout(() => void save(next), AUTOSAVE_MS);
      }
      return next;
    });
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);
  // Save disables its button while busy, which drops the focus to the page: give it back.
  const savePressed = useRef(false);
  const saveBar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (saveState === 'saving' || !savePressed.current) return;
    savePressed.current = false;
    if (document.activeElement === document.body) {
      saveBar.current?.querySelector<HTMLButtonElement>('button[type="submit"]')?.focus();
    }
  }, [saveState]);

  const withdraw = async () => {
    setWithdrawing(true);
    setWithdrawError(null);
    window.clearTimeout(timer.current);
    try {
      await call('delete', '/api/v1/programmes/{id}/enrolment', { path: { id: programmeId } });
      setSaveState((await load()) ? 'dirty' : 'idle');
      setSaveError(null);
      setServerErrors({});
      setShowMissing(false);
      setConfirming(false);
      setWithdrawn(true);
    } catch (e) {
      setWithdrawError(errorText(e));
    } finally {
      setWithdrawing(false);
    }
  };
  useEffect(() => {
    if (withdrawn) withdrawnMessage.current?.focus();
  }, [withdrawn]);

  if (loadError) {
    const notInvited =
      loadError instanceof ApiError && (loadError.status === 404 || loadError.status === 403);
    return <Alert kind="error">{notInvited ? t('enrolment.notInvited') : errorText(loadError)}</Alert>;
  }
  if (!programme || !enrolment || !form) return <Loading />;

  const missing = missingExperience(form);
  const topicName = (key: string) => {
    const topic = programme.topics.find((x) => x.key === key);
    return (language === 'de' ? topic?.name_de : topic?.name_en) || key;
  };
  const fieldError = (index: number, name: string) => serverErrors[`answers[${index}].${name}`];
  const interestLabels = LEVELS.map((l) => t(`level.interest.${l}`));
  const skillLabels = LEVELS.map((l) => t(`level.skill.${l}`));
  const editable = enrolmentOpen(programme);
  // After the deadline the answers are shown as they were sent; a draft's (imported) answers stay
  // editable on screen, to be saved once enrolment opens.
  const locked = !editable && programme.state !== 'draft';
  const canWithdraw = enrolment.state !== 'withdrawn' && programme.state !== 'closed';

  const questions = (
    <>
      <Card title={t('enrolment.roles')}>
        <div className="grid-2">
          <Select
            label={t('enrolment.mentorCapacity')}
            value={form.mentor_capacity}
            error={serverErrors['mentor_capacity']}
            onChange={(e) => change((f) => ({ ...f, mentor_capacity: Number(e.target.value) }))}
          >
            {[0, 1, 2, 3].map((n) => (
              <option key={n} value={n}>
                {n === 0 ? t('capacity.none') : n}
              </option>
            ))}
          </Select>
          {menteeAllowed && (
            <Select
              label={t('enrolment.menteeCapacity')}
              value={form.mentee_capacity}
              error={serverErrors['mentee_capacity']}
              onChange={(e) => change((f) => ({ ...f, mentee_capacity: Number(e.target.value) }))}
            >
              {[0, 1, 2].map((n) => (
                <option key={n} value={n}>
                  {n === 0 ? t('capacity.none') : n}
                </option>
              ))}
            </Select>
          )}
        </div>
        <fieldset className="checks">
          <legend>{t('enrolment.languages')}</legend>
          {Array.from(new Set([...MEETING_LANGUAGES, ...form.languages])).map((l) => (
            <label key={l} className="check">
              <input
                type="checkbox"
                checked={form.languages.includes(l)}
                onChange={(e) =>
                  change((f) => ({
                    ...f,
                    languages: e.target.checked ? [...f.languages, l] : f.languages.filter((x) => x !== l),
                  }))
                }
              />
              {l === 'de' || l === 'en' ? t(`lang.${l}`) : l}
            </label>
          ))}
        </fieldset>
        <TextArea
          label={t('enrolment.availability')}
          hint={t('enrolment.availabilityHint')}
          value={form.availability}
          maxLength={1000}
          onChange={(e) => change((f) => ({ ...f, availability: e.target.value }))}
        />
      </Card>

      <h2>{t('enrolment.topics')}</h2>
      <ol className="topics">
        {programme.topics.map((topic, index) => {
          const a = form.answers[topic.key] ?? { interest: 0, skill: 0, experience: '' };
          const name = topicName(topic.key);
          const set = (patch: Partial<typeof a>) =>
            change((f) => ({ ...f, answers: { ...f.answers, [topic.key]: { ...a, ...patch } } }));
          return (
            <li key={topic.key} className="topic">
              <h3>{name}</h3>
              <Scale
                legend={t('enrolment.interest')}
                name={`interest-${topic.key}`}
                value={a.interest}
                labels={interestLabels}
                onChange={(v) => set({ interest: v })}
              />
              <Scale
                legend={t('enrolment.skill')}
                name={`skill-${topic.key}`}
                value={a.skill}
                labels={skillLabels}
                onChange={(v) => set({ skill: v })}
              />
              {(a.skill >= 2 || a.experience) && (
                <TextArea
                  label={t('enrolment.experience', { topic: name })}
                  hint={t('enrolment.experienceHint')}
                  required={a.skill >= 2}
                  maxLength={2000}
                  value={a.experience}
                  error={
                    fieldError(index, 'experience') ??
                    (showMissing && missing.has(topic.key) ? t('enrolment.experienceRequired') : undefined)
                  }
                  onChange={(e) => set({ experience: e.target.value })}
                />
              )}
            </li>
          );
        })}
      </ol>
    </>
  );

  return (
    <div className="p-page">
      <form
        className="enrolment"
        onSubmit={(e) => {
          e.preventDefault();
          window.clearTimeout(timer.current);
          setShowMissing(true);
          savePressed.current = true;
          void save(form);
        }}
        noValidate
      >
        <h1>{t('enrolment.title', { name: programme.name })}</h1>
        {withdrawn && (
          <div className="alert alert-success p-focus-target" role="status" tabIndex={-1} ref={withdrawnMessage}>
            <p className="p-alert-title">{t('participant.withdrawn.title', { name: programme.name })}</p>
            <p>{t('participant.withdrawn.text')}</p>
            <p>{editable ? t('participant.withdrawn.again') : t('participant.withdrawn.closed')}</p>
            <p>
              <Link to="/programmes">{t('participant.backToProgrammes')}</Link>
            </p>
          </div>
        )}
        <p className="meta p-badges">
          <Badge tone={enrolment.state === 'enrolled' ? 'good' : 'neutral'}>
            {t(`enrolment.state.${enrolment.state}`)}
          </Badge>
          {programme.enrolment_deadline !== null && programme.state === 'enrolling' && (
            <span> {t('programmes.deadline', { date: formatDate(programme.enrolment_deadline) })}</span>
          )}
        </p>
        {enrolment.state === 'invited' && editable && (
          <div className="alert alert-info">
            <p className="p-alert-title">{t('participant.enrolment.invitedTitle')}</p>
            <p>{t('participant.enrolment.invitedText')}</p>
          </div>
        )}
        {!editable && (
          <div className="alert alert-info">
            <p>
              {programme.state === 'draft'
                ? t('participant.enrolment.notYetOpen')
                : t('participant.enrolment.closed')}
            </p>
          </div>
        )}
        {partnersOpen(programme, enrolment) && (
          <p>
            <Link className="btn btn-secondary" to={`/programmes/${programme.id}/partners`}>
              {t('participant.findPartners')}
            </Link>
          </p>
        )}
        {startedFrom !== null && editable && (
          <div className="alert alert-info p-previous">
            <p className="p-alert-title">{t('participant.previous.title', { name: startedFrom })}</p>
            <p>{t('participant.previous.text')}</p>
            <p>
              <Button variant="secondary" className="btn-small" onClick={() => {
                window.clearTimeout(timer.current);
                setForm(formOf(programme, enrolment));
                setStartedFrom(null);
                setShowMissing(false);
                setSaveState('idle');
              }}>
                {t('participant.previous.empty')}
              </Button>
            </p>
          </div>
        )}
        <p>{t('enrolment.intro')}</p>
        {locked ? (
          <fieldset disabled className="p-locked">
            <legend className="visually-hidden">{t('participant.enrolment.lockedLegend')}</legend>
            {questions}
          </fieldset>
        ) : (
          questions
        )}
        {editable && (
          <div className="save-bar" ref={saveBar}>
            {saveError && <Alert kind="error">{saveError}</Alert>}
            <p className="save-state" role="status" aria-live="polite">
              {saveState === 'saving'
                ? t('enrolment.saving')
                : startedFrom !== null
                  ? t('participant.previous.unsaved')
                  : saveState === 'saved'
                  ? t('enrolment.saved')
                  : saveState === 'dirty'
                    ? t('enrolment.unsaved')
                    : t('enrolment.autosave')}
            </p>
            <Button type="submit" busy={saveState === 'saving'}>
              {t('enrolment.save')}
            </Button>
          </div>
        )}
      </form>
      {canWithdraw && (
        <section className="card p-withdraw" aria-labelledby="p-withdraw-title">
          <h2 id="p-withdraw-title" className="card-title">
            {t('participant.withdraw.title')}
          </h2>
          <p>{t('participant.withdraw.intro')}</p>
          <button
            ref={withdrawButton}
            type="button"
            className="btn btn-danger"
            onClick={() => {
              setWithdrawError(null);
              setConfirming(true);
            }}
          >
            {t('participant.withdraw.action')}
          </button>
        </section>
      )}
      <ConfirmDialog
        open={confirming}
        title={t('participant.withdraw.confirmTitle', { name: programme.name })}
        confirmLabel={t('participant.withdraw.confirm')}
        cancelLabel={t('participant.withdraw.cancel')}
        busy={withdrawing}
        onConfirm={() => void withdraw()}
        onCancel={() => setConfirming(false)}
        returnFocus={withdrawn ? undefined : withdrawButton}
      >
        <p>{t('participant.withdraw.explain')}</p>
        <ul>
          <li>{t('participant.withdraw.answers')}</li>
          <li>{t('participant.withdraw.tandems')}</li>
          <li>{t('participant.withdraw.partners')}</li>
        </ul>
        <p>{editable ? t('participant.withdraw.again') : t('participant.withdraw.final')}</p>
        {withdrawError && <Alert kind="error">{withdrawError}</Alert>}
      </ConfirmDialog>
    </div>
  );
}
