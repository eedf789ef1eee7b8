// The programme settings form as plain data: the draft the form edits (strings, as the inputs
// hold them), its conversion from and to the API's Programme/ProgrammeInput, the checks made
// before sending, and the mapping of the server's problem document onto the form's fields.
import { ApiError } from '../../api/client';
import type { Programme, Schemas } from '../../api/client';
import type { MessageKey } from '../../i18n';

export type ProgrammeInput = Schemas['ProgrammeInput'];

export interface TopicDraft {
  /** Identifies the row while it moves (React key, focus); never sent. */
  uid: number;
  key: string;
  name_de: string;
  name_en: string;
  weight: string;
}

export interface ProgrammeDraft {
  name: string;
  topics: TopicDraft[];
  mode: 'reverse' | 'open';
  mentee_min_level: string;
  term_min_months: string;
  term_max_months: string;
  target_meetings_min: string;
  target_meetings_max: string;
  /** Months a tandem's protected content is kept after it ends (docs/privacy.md). */
  retention_months: string;
  /** Whether the team sees the number of meetings held per tandem (off unless agreed). */
  show_meeting_counts: boolean;
  /** The minimum group size k of every report figure (issue 8; at least 3). */
  min_group_size: string;
  /** Whether the partners give each other feedback, shown once both gave (issue 8). */
  partner_feedback: boolean;
  /** The value of a datetime-local input (local time), '' when not set. */
  deadline: string;
  /** The deadline as read (exact to the millisecond): sent back unchanged while `deadline` is. */
  deadlineLoaded: number | null;
  agreement_de: string;
  agreement_en: string;
}

/** Messages by field: `name`, `topics`, `topics/2/key`, `deadline`, ... (the server's names). */
export type FieldErrors = Record<string, string>;

let nextUid = 1;
export function newTopic(): TopicDraft {
  return { uid: nextUid++, key: '', name_de: '', name_en: '', weight: '1' };
}

/** A new programme: the server's defaults (term 6–9 months, 6–8 meetings, 12 months' retention), no topics. */
export function emptyDraft(): ProgrammeDraft {
  return {
    name: '',
    topics: [],
    mode: 'reverse',
    mentee_min_level: '0',
    term_min_months: '6',
    term_max_months: '9',
    target_meetings_min: '6',
    target_meetings_max: '8',
    retention_months: '12',
    show_meeting_counts: false,
    min_group_size: '5',
    partner_feedback: false,
    deadline: '',
    deadlineLoaded: null,
    agreement_de: '',
    agreement_en: '',
  };
}

export function draftOf(p: Programme): ProgrammeDraft {
  return {
    name: p.name,
    topics: p.topics.map((x) => ({ uid: nextUid++, key: x.key, name_de: x.name_de, name_en: x.name_en,
      weight: String(x.weight) })),
    mode: p.mode,
    mentee_min_level: String(p.mentee_min_level),
    term_min_months: String(p.term_min_months),
    term_max_months: String(p.term_max_months),
    target_meetings_min: String(p.target_meetings_min),
    target_meetings_max: String(p.target_meetings_max),
    retention_months: String(p.retention_months ?? 12),
    show_meeting_counts: p.show_meeting_counts === true,
    min_group_size: String(p.min_group_size ?? 5),
    partner_feedback: p.partner_feedback === true,
    deadline: p.enrolment_deadline === null ? '' : toLocalInput(p.enrolment_deadline),
    deadlineLoaded: p.enrolment_deadline,
    agreement_de: p.agreement_de,
    agreement_en: p.agreement_en,
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Milliseconds as a datetime-local value in the browser's time zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (local time) as milliseconds; null when empty, NaN when incomplete. */
export function fromLocalInput(value: string): number | null {
  if (!value.trim()) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m;
  return new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)).getTime();
}

// The input shows minutes; a deadline set elsewhere to the second must not move by saving.
const unchangedDeadline = (d: ProgrammeDraft) =>
  d.deadline === (d.deadlineLoaded === null ? '' : toLocalInput(d.deadlineLoaded));

const int = (s: string) => Number.parseInt(s.trim(), 10);

/** The body of POST/PUT /programmes. Empty topics and agreements on creation take the defaults. */
export function inputOf(d: ProgrammeDraft): ProgrammeInput {
  const input: ProgrammeInput = {
    name: d.name.trim(),
    topics: d.topics.map((x) => ({
      key: x.key.trim(),
      name_de: x.name_de.trim(),
      name_en: x.name_en.trim(),
      weight: int(x.weight),
    })),
    mode: d.mode,
    mentee_min_level: int(d.mentee_min_level),
    term_min_months: int(d.term_min_months),
    term_max_months: int(d.term_max_months),
    target_meetings_min: int(d.target_meetings_min),
    target_meetings_max: int(d.target_meetings_max),
    retention_months: int(d.retention_months),
    show_meeting_counts: d.show_meeting_counts,
    min_group_size: int(d.min_group_size),
    partner_feedback: d.partner_feedback,
    enrolment_deadline: unchangedDeadline(d) ? d.deadlineLoaded : fromLocalInput(d.deadline),
    agreement_de: d.agreement_de,
    agreement_en: d.agreement_en,
  };
  return input;
}

type T = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The checks the server makes too, so that the form names the field before sending. */
export function validate(d: ProgrammeDraft, creating: boolean, t: T): FieldErrors {
  const errors: FieldErrors = {};
  if (!d.name.trim()) errors.name = t('manage.required');
  else if (d.name.trim().length > 200) errors.name = t('manage.tooLong', { max: 200 });
  const whole = (field: keyof ProgrammeDraft, value: string, min: number, max: number) => {
    if (!/^\s*\d+\s*$/.test(value) || int(value) < min || int(value) > max) {
      errors[field] = t('manage.wholeNumber', { min, max });
      return false;
    }
    return true;
  };
  whole('mentee_min_level', d.mentee_min_level, 0, 1000);
  if (whole('term_min_months', d.term_min_months, 1, 60) && whole('term_max_months', d.term_max_months, 1, 60) &&
      int(d.term_min_months) > int(d.term_max_months)) {
    errors.term_min_months = t('manage.minMax');
  }
  if (whole('target_meetings_min', d.target_meetings_min, 1, 100) &&
      whole('target_meetings_max', d.target_meetings_max, 1, 100) &&
      int(d.target_meetings_min) > int(d.target_meetings_max)) {
    errors.target_meetings_min = t('manage.minMax');
  }
  whole('retention_months', d.retention_months, 1, 120);
  if (!/^\s*\d+\s*$/.test(d.min_group_size) || int(d.min_group_size) < 3 || int(d.min_group_size) > 1000) {
    errors.min_group_size = t('reports.settings.minGroupError');
  }
  if (!creating && d.topics.length === 0) errors.topics = t('manage.needTopic');
  const seen = new Map<string, number>();
  d.topics.forEach((x, i) => {
    const key = x.key.trim();
    if (!key) errors[`topics/${i}/key`] = t('manage.required');
    else if (key.length > 64) errors[`topics/${i}/key`] = t('manage.tooLong', { max: 64 });
    else if (seen.has(key)) errors[`topics/${i}/key`] = t('manage.keyTwice');
    else seen.set(key, i);
    if (!x.name_de.trim()) errors[`topics/${i}/name_de`] = t('manage.required');
    if (!x.name_en.trim()) errors[`topics/${i}/name_en`] = t('manage.required');
    if (!/^\s*\d+\s*$/.test(x.weight) || int(x.weight) < 1 || int(x.weight) > 100) {
      errors[`topics/${i}/weight`] = t('manage.wholeNumber', { min: 1, max: 100 });
    }
  });
  if (d.deadline.trim() && Number.isNaN(fromLocalInput(d.deadline))) errors.deadline = t('manage.invalidDate');
  if (!creating) {
    if (!d.agreement_de.trim()) errors.agreement_de = t('manage.required');
    if (!d.agreement_en.trim()) errors.agreement_en = t('manage.required');
  }
  return errors;
}

// The server's checks that answer with a message "field: why" instead of `errors[]`
// (src/app/programmes.cc, ValidateProgramme), by the prefix of the message.
const DETAIL_FIELDS: Record<string, string> = {
  name: 'name',
  term: 'term_min_months',
  'target meetings': 'target_meetings_min',
  mentee_min_level: 'mentee_min_level',
  'agreement_de, agreement_en': 'agreement_de',
  topics: 'topics',
  enrolment_deadline: 'deadline',
  min_group_size: 'min_group_size',
};

/** The problem document's messages by the form's field names (empty when none names a field). */
export function serverErrors(e: ApiError): FieldErrors {
  const errors: FieldErrors = {};
  for (const item of e.problem?.errors ?? []) {
    if (!item.field) continue;
    const field = item.field === 'enrolment_deadline' ? 'deadline' : item.field;
    errors[field] = item.message;
  }
  if (Object.keys(errors).length === 0 && e.status === 400 && e.problem?.detail) {
    const at = e.problem.detail.indexOf(': ');
    const field = at > 0 ? DETAIL_FIELDS[e.problem.detail.slice(0, at)] : undefined;
    if (field) errors[field] = e.problem.detail.slice(at + 2);
  }
  return errors;
}
