// The questionnaire of a new programme can start from the person's answers in their most recent
// other programme (`previous` on their own enrolment, issue 7: restricted to this programme's
// topics, with their role offer applied). Nothing is stored until the person saves.
import type { Enrolment, Programme, Schemas } from '../../api/client';

export type PreviousAnswers = Schemas['PreviousEnrolment'];

/** The answers to start from: `previous` while the enrolment has no answers of its own. */
export function previousToStartFrom(enrolment: Enrolment): PreviousAnswers | null {
  const previous = enrolment.previous ?? null;
  if (!previous || (enrolment.answers ?? []).length > 0) return null;
  return previous;
}

const clamp = (n: number, max: number) => Math.max(0, Math.min(max, Math.round(n)));

/**
 * The enrolment as if it held the previous answers: the capacities within what the form offers
 * (no mentee capacity below the programme's minimum level), only this programme's topics, the
 * levels within 0–3. The enrolment's own state and version stay.
 */
export function enrolmentFromPrevious(programme: Programme, enrolment: Enrolment, previous: PreviousAnswers,
  menteeAllowed: boolean): Enrolment {
  const keys = new Set(programme.topics.map((x) => x.key));
  return {
    ...enrolment,
    mentor_capacity: clamp(previous.mentor_capacity, 3),
    mentee_capacity: menteeAllowed ? clamp(previous.mentee_capacity, 2) : 0,
    languages: previous.languages.length ? [...previous.languages] : enrolment.languages,
    availability: previous.availability,
    answers: previous.answers
      .filter((a) => keys.has(a.topic))
      .map((a) => ({
        topic: a.topic,
        interest: clamp(a.interest, 3),
        skill: clamp(a.skill, 3),
        experience: a.experience ?? '',
      })),
  };
}
