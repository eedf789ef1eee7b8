// The settings form's data: round trip from the API's programme, the checks before sending, the
// deadline kept to the millisecond, and the server's problem documents mapped onto fields.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../api/client';
import type { Programme } from '../../api/client';
import { translate } from '../../i18n';
import { draftOf, emptyDraft, fromLocalInput, inputOf, newTopic, serverErrors, toLocalInput, validate }
  from './programmeDraft';

const t = (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) =>
  translate('en', key, params);

const programme: Programme = {
  id: 3, name: 'Digital 2027', state: 'enrolling', mode: 'reverse', mentee_min_level: 2,
  topics: [{ key: 'ai', name_de: 'KI', name_en: 'AI', weight: 2 }],
  term_min_months: 6, term_max_months: 9, target_meetings_min: 6, target_meetings_max: 8,
  enrolment_deadline: Date.UTC(2027, 0, 31, 16, 0, 17, 250), agreement_de: 'de', agreement_en: 'en',
  closed_at: null, version: 4, retention_months: 24, show_meeting_counts: true,
  min_group_size: 7, partner_feedback: true,
};

describe('programme draft', () => {
  it('gives back what it read, the deadline to the millisecond while it is untouched', () => {
    const input = inputOf(draftOf(programme));
    expect(input).toEqual({
      name: 'Digital 2027', mode: 'reverse', mentee_min_level: 2,
      topics: [{ key: 'ai', name_de: 'KI', name_en: 'AI', weight: 2 }],
      term_min_months: 6, term_max_months: 9, target_meetings_min: 6, target_meetings_max: 8,
      enrolment_deadline: programme.enrolment_deadline, agreement_de: 'de', agreement_en: 'en',
      retention_months: 24, show_meeting_counts: true, min_group_size: 7, partner_feedback: true,
    });
    // Off unless the programme says otherwise (an older server's answer has no field).
    const { show_meeting_counts: _, ...older } = programme;
    expect(inputOf(draftOf(older)).show_meeting_counts).toBe(false);
  });

  it('takes the reports\' minimum group size (at least 3, default 5) and partner feedback (off)', () => {
    const { min_group_size: _k, partner_feedback: _f, ...older } = programme;
    expect(inputOf(draftOf(older))).toMatchObject({ min_group_size: 5, partner_feedback: false });
    expect(validate({ ...draftOf(programme), min_group_size: '2' }, false, t).min_group_size)
      .toBe('Please enter a whole number of 3 or more.');
    expect(validate({ ...draftOf(programme), min_group_size: '3' }, false, t).min_group_size).toBeUndefined();
    const problem = new ApiError(400, { type: 'about:blank', title: 'Bad', status: 400,
      errors: [{ field: 'min_group_size', message: 'must be at least 3' }] });
    expect(serverErrors(problem).min_group_size).toBe('must be at least 3');
  });

  it('reads a changed deadline as local time', () => {
    const d = { ...draftOf(programme), deadline: '2027-02-01T09:30' };
    expect(inputOf(d).enrolment_deadline).toBe(new Date(2027, 1, 1, 9, 30).getTime());
    expect(toLocalInput(new Date(2027, 1, 1, 9, 30).getTime())).toBe('2027-02-01T09:30');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2027-02')).toBeNaN();
  });

  it('names the fields at fault before sending', () => {
    const d = emptyDraft();
    const a = { ...newTopic(), key: 'ai', name_de: 'KI', name_en: 'AI', weight: '0' };
    const b = { ...newTopic(), key: 'ai', name_de: '', name_en: 'Cloud', weight: '1' };
    const errors = validate({ ...d, topics: [a, b], term_min_months: '10', retention_months: '0' }, true, t);
    expect(errors).toEqual({
      name: 'Please fill this in.',
      term_min_months: 'The minimum must not be larger than the maximum.',
      retention_months: 'Please enter a whole number from 1 to 120.',
      'topics/0/weight': 'Please enter a whole number from 1 to 100.',
      'topics/1/key': 'This key appears more than once.',
      'topics/1/name_de': 'Please fill this in.',
    });
    // A new programme may leave topics and agreements empty (the server's defaults); an edit not.
    expect(validate({ ...d, name: 'x' }, true, t)).toEqual({});
    expect(Object.keys(validate({ ...d, name: 'x' }, false, t)).sort())
      .toEqual(['agreement_de', 'agreement_en', 'topics']);
  });

  it('maps the problem document onto the form', () => {
    const listed = new ApiError(400, {
      type: 'x', title: 'Bad Request', status: 400, detail: 'the programme has problems',
      errors: [{ field: 'topics/1/key', message: 'required' }, { field: 'enrolment_deadline', message: 'bad' }],
    });
    expect(serverErrors(listed)).toEqual({ 'topics/1/key': 'required', deadline: 'bad' });
    const worded = new ApiError(400, {
      type: 'x', title: 'Bad Request', status: 400, detail: "topics: key 'ai' appears twice",
    });
    expect(serverErrors(worded)).toEqual({ topics: "key 'ai' appears twice" });
    const conflict = new ApiError(409, { type: 'x', title: 'Conflict', status: 409, detail: 'name: no' });
    expect(serverErrors(conflict)).toEqual({});
  });
});
