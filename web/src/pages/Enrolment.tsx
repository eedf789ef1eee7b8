import { useCallback, useEffect, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError, call } from '../api/client';
import type { Enrolment, EnrolmentInput, Programme } from '../api/client';
import { Alert, Badge, Button, Card, Loading, Scale, Select, TextArea, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';

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

export function EnrolmentPage() {
  const { id } = useParams();
  const programmeId = Number(id);
  const { t, language } = useI18n();
  const errorText = useErrorText();
  const [programme, setProgramme] = useState<Programme | null>(null);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [form, setForm] = useState<Form | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [menteeAllowed, setMenteeAllowed] = useState(true);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [saveState, setSaveState] = useState<SaveState>('idle');
  const [saveError, setSaveError] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [showMissing, setShowMissing] = useState(false);
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
    setProgramme(p.data);
    setEnrolment(e.data);
    setEtag(e.etag ?? `"${e.data.version}"`);
    setForm(formOf(p.data, e.data));
    setMenteeAllowed((me.data.person?.level ?? 0) >= p.data.mentee_min_level);
  }, [programmeId]);

  useEffect(() => {
    load().catch((e: unknown) =>
      setLoadError(e instanceof ApiError && (e.status === 404 || e.status === 403) ? t('enrolment.notInvited') : errorText(e)),
    );
  }, [load, t, errorText]);

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
        setSaveState('saved');
      } catch (e) {
        setSaveState('dirty');
        if (e instanceof ApiError && e.status === 412) {
          setSaveError(t('enrolment.stale'));
          await load();
          setSaveState('idle');
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
      if (missingExperience(next).size === 0) {
        timer.current = window.setTimeout(() => void save(next), AUTOSAVE_MS);
      }
      return next;
    });
  };
  useEffect(() => () => window.clearTimeout(timer.current), []);

  if (loadError) return <Alert kind="error">{loadError}</Alert>;
  if (!programme || !enrolment || !form) return <Loading />;

  const missing = missingExperience(form);
  const topicName = (key: string) => {
    const topic = programme.topics.find((x) => x.key === key);
    return (language === 'de' ? topic?.name_de : topic?.name_en) || key;
  };
  const fieldError = (index: number, name: string) => serverErrors[`answers[${index}].${name}`];
  const interestLabels = LEVELS.map((l) => t(`level.interest.${l}`));
  const skillLabels = LEVELS.map((l) => t(`level.skill.${l}`));

  return (
    <form
      className="enrolment"
      onSubmit={(e) => {
        e.preventDefault();
        window.clearTimeout(timer.current);
        setShowMissing(true);
        void save(form);
      }}
      noValidate
    >
      <h1>{t('enrolment.title', { name: programme.name })}</h1>
      <p className="meta">
        <Badge tone={enrolment.state === 'enrolled' ? 'good' : 'neutral'}>
          {t(`enrolment.state.${enrolment.state}`)}
        </Badge>
      </p>
      <p>{t('enrolment.intro')}</p>

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

      <div className="save-bar">
        {saveError && <Alert kind="error">{saveError}</Alert>}
        <p className="save-state" role="status" aria-live="polite">
          {saveState === 'saving'
            ? t('enrolment.saving')
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
    </form>
  );
}
