// Issue 8 (evaluation and reports): the JSON shapes of the surveys, the partner feedback and the
// programme dashboard, after /tmp design "Routes" and docs/reports.md. Every count or figure that
// the server hides ("too few to show") is null, never 0.
import type { Schemas } from '../../api/client';
import type { Language } from '../../i18n';

export type Localized = Schemas['LocalizedText'];
export type Question = Schemas['SurveyQuestion'];
export type QuestionType = Question['type'];
export const QUESTION_TYPES: QuestionType[] = ['scale', 'recommendation', 'single_choice', 'free_text', 'topic_rating'];
export type Choice = NonNullable<Question['choices']>[number];
export type Survey = Schemas['Survey'];
export type SurveyKind = Survey['kind'];
export type SurveyAudience = Survey['audience'];
export type SurveyState = Survey['state'];

/** A topic rating answer: topic key -> 0..3. */
export type TopicAnswers = Record<string, number>;
export type AnswerValue = number | string | TopicAnswers;
export type Answers = Record<string, AnswerValue>;

export interface SurveyResponse {
  answers: Answers;
  version: number;
}

/** A survey as its participant sees it (GET /me/surveys), the answers typed by question. */
export type MySurvey = Omit<Schemas['MySurvey'], 'response'> & { response: SurveyResponse | null };

export function programmeIdOf(s: MySurvey): number {
  return s.programme;
}

export function programmeNameOf(s: MySurvey): string {
  return s.programme_name;
}

export type TopicResult = Schemas['TopicResult'];
export type QuestionResult = Schemas['QuestionResult'];
export type SurveyResult = Schemas['SurveyResult'];
export type Feedback = Schemas['PartnerFeedback'];
export type Dashboard = Schemas['Dashboard'];
export type FilterValue = Dashboard['filters']['department'][number];
export type StageCount = Dashboard['funnel'][number];

/** A text of a survey in the reader's language (the other one when it is empty). */
export function localized(text: Localized | undefined, language: Language): string {
  if (!text) return '';
  return (language === 'de' ? text.de || text.en : text.en || text.de) ?? '';
}

/** The ETag for a version (`*` when there is none yet: the first save). */
export function ifMatchOf(version: number | null | undefined): string {
  return version === null || version === undefined ? '*' : `"${version}"`;
}

/** Most free texts a survey answer may hold (src/core/survey.h kMaxFreeTextLength). */
export const MAX_FREE_TEXT = 4000;
/** Most characters of a partner feedback. */
export const MAX_FEEDBACK = 2000;
