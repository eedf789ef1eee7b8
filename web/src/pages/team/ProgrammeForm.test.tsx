// The settings form's topic editor by keyboard: adding focuses the new key, moving keeps the
// focus on the pressed button and announces the new position, removing moves the focus to a
// neighbour; once enrolment opened, keys and weights are read-only and rows cannot move.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Programme } from '../../api/client';
import { I18nProvider } from '../../i18n';
import { ProgrammeForm } from './ProgrammeForm';
import { emptyDraft, newTopic } from './programmeDraft';
import type { FieldErrors, ProgrammeDraft } from './programmeDraft';

afterEach(cleanup);
beforeEach(() => window.localStorage.setItem('tandem.language', 'en'));
afterEach(() => window.localStorage.clear());

const topic = (key: string, name: string) => ({ ...newTopic(), key, name_de: name, name_en: name });

function Harness({ initial, state, onSubmit }: {
  initial: ProgrammeDraft;
  state: Programme['state'] | null;
  onSubmit?: (d: ProgrammeDraft) => void;
}) {
  const [draft, setDraft] = useState(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  return (
    <I18nProvider>
      <ProgrammeForm draft={draft} onChange={setDraft} errors={errors} attempt={0} state={state}
        onClearErrors={(which) => setErrors((old) => Object.fromEntries(Object.entries(old).filter(([f]) => !which(f))))}
        onSubmit={() => onSubmit?.(draft)}>
        <button type="submit">Save</button>
      </ProgrammeForm>
    </I18nProvider>
  );
}

describe('topic editor', () => {
  it('adds, moves and removes topics with the focus where the person works', async () => {
    const user = userEvent.setup();
    let sent: ProgrammeDraft | null = null;
    const initial = { ...emptyDraft(), name: 'P', topics: [topic('ai', 'AI'), topic('cloud', 'Cloud')] };
    render(<Harness initial={initial} state="draft" onSubmit={(d) => (sent = d)} />);

    await user.click(screen.getByRole('button', { name: 'Add a topic' }));
    expect(document.activeElement).toBe(screen.getByRole('group', { name: 'Topic 3' }).querySelector('input'));
    await user.keyboard('data');
    expect(screen.getByRole('status')).toHaveProperty('textContent', 'Topic 3 has been added.');

    // "data" has no names yet: it is named by its key.
    screen.getByRole('button', { name: 'Move “data” up' }).focus();
    await user.keyboard('{Enter}');
    expect(screen.getByRole('status').textContent).toBe('“data” is now in position 2.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move “data” up' }));
    await user.keyboard('{Enter}');
    // At the top the up button is disabled: the focus moves to its neighbour.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Move “data” down' }));

    await user.click(screen.getByRole('button', { name: 'Remove “AI”' }));
    expect(screen.getByRole('status').textContent).toBe('“AI” has been removed.');
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Remove “Cloud”' }));

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(sent!.topics.map((x) => x.key)).toEqual(['data', 'cloud']);
  });

  it('shows keys, weights, kind and level as fixed once enrolment opened; names stay editable', () => {
    const initial = { ...emptyDraft(), name: 'P', topics: [topic('ai', 'AI')] };
    render(<Harness initial={initial} state="enrolling" />);
    const row = screen.getByRole('group', { name: 'Topic 1: AI' });
    expect(row.querySelectorAll('input')).toHaveLength(2); // the two names
    expect(screen.queryByRole('button', { name: 'Add a topic' })).toBeNull();
    expect(screen.queryByRole('button', { name: /^Move/ })).toBeNull();
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.getByLabelText('Enrolment deadline')).toBeTruthy();
  });

  it('keeps the meeting counts editable in a closed programme, and sends them', async () => {
    const user = userEvent.setup();
    let sent: ProgrammeDraft | null = null;
    const initial = { ...emptyDraft(), name: 'P', topics: [topic('ai', 'AI')] };
    render(<Harness initial={initial} state="closed" onSubmit={(d) => (sent = d)} />);
    const box = screen.getByRole('checkbox', { name: 'Show the number of meetings held per tandem' }) as HTMLInputElement;
    expect(box.checked).toBe(false);
    expect(box.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(box.getAttribute('aria-describedby')!)?.textContent).toMatch(/works agreement/);
    expect((screen.getByLabelText('Programme name') as HTMLInputElement).readOnly).toBe(true);
    await user.click(box);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(sent!.show_meeting_counts).toBe(true);
  });
});
