// Unit tests of the component set (ui.tsx): labels, keyboard, errors tied to their fields, roles.
import { cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { I18nProvider } from '../i18n';
import { Alert, Button, Loading, Scale, Select, TextArea, TextInput, useErrorText } from './ui';

afterEach(cleanup);

// jsdom has no CSS.escape, which user-event's arrow keys on radio groups use.
if (!window.CSS?.escape) {
  Object.defineProperty(window, 'CSS', {
    value: { escape: (s: string) => s.replace(/[^\w-]/g, (c) => `\\${c}`) },
  });
}

const WORDS = ['gar nicht', 'etwas', 'interessiert', 'sehr interessiert'];

function ControlledScale({ initial, onChange }: { initial: number; onChange?: (v: number) => void }) {
  const [value, setValue] = useState(initial);
  return (
    <Scale
      legend="Interesse"
      name="interest-ai"
      value={value}
      labels={WORDS}
      onChange={(v) => {
        setValue(v);
        onChange?.(v);
      }}
    />
  );
}

describe('Scale', () => {
  it('is a group named by its legend with one radio per word, the value checked', () => {
    render(<ControlledScale initial={2} />);
    const group = screen.getByRole('group', { name: 'Interesse' });
    const radios = screen.getAllByRole('radio');
    expect(radios).toHaveLength(4);
    for (const [i, word] of WORDS.entries()) {
      // The number is aria-hidden: the accessible name is the words alone.
      const radio = screen.getByRole('radio', { name: word });
      expect(group.contains(radio)).toBe(true);
      expect((radio as HTMLInputElement).checked).toBe(i === 2);
      expect((radio as HTMLInputElement).name).toBe('interest-ai');
    }
    expect(screen.getByRole('radio', { name: 'interessiert' }).closest('label')?.className).toContain('scale-selected');
  });

  it('is reached with Tab on the checked option and changed with the arrow keys', async () => {
    const user = userEvent.setup();
    const changes: number[] = [];
    render(
      <>
        <button type="button">before</button>
        <ControlledScale initial={1} onChange={(v) => changes.push(v)} />
        <button type="button">after</button>
      </>,
    );
    screen.getByRole('button', { name: 'before' }).focus();
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('radio', { name: 'etwas' }));
    await user.keyboard('{ArrowRight}');
    expect(changes).toEqual([2]);
    expect((screen.getByRole('radio', { name: 'interessiert' }) as HTMLInputElement).checked).toBe(true);
    await user.keyboard('{ArrowLeft}{ArrowLeft}');
    expect(changes).toEqual([2, 1, 0]);
    expect((screen.getByRole('radio', { name: 'gar nicht' }) as HTMLInputElement).checked).toBe(true);
    // One tab stop for the whole scale: the next Tab leaves it.
    await user.tab();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'after' }));
  });

  it('chooses an option by its words and by Space', async () => {
    const user = userEvent.setup();
    const onChange = vi.fn();
    render(<ControlledScale initial={0} onChange={onChange} />);
    await user.click(screen.getByText('sehr interessiert'));
    expect(onChange).toHaveBeenLastCalledWith(3);
    screen.getByRole('radio', { name: 'etwas' }).focus();
    await user.keyboard(' ');
    expect(onChange).toHaveBeenLastCalledWith(1);
  });
});

describe('Field and its inputs', () => {
  it('labels the control and ties the hint and the error to it', () => {
    render(<TextInput label="Name" hint="Wie im Verzeichnis" error="Bitte einen Namen angeben" defaultValue="" />);
    const input = screen.getByRole('textbox', { name: 'Name' });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
    expect(ids).toHaveLength(2);
    expect(ids.map((id) => document.getElementById(id)?.textContent)).toEqual([
      'Wie im Verzeichnis',
      'Bitte einen Namen angeben',
    ]);
    expect(screen.getByRole('textbox', { description: 'Wie im Verzeichnis Bitte einen Namen angeben' })).toBe(input);
    expect(input.closest('.field')?.className).toContain('field-invalid');
  });

  it('is neither invalid nor described without hint and error', () => {
    render(<TextInput label="Abteilung" />);
    const input = screen.getByLabelText('Abteilung');
    expect(input.hasAttribute('aria-invalid')).toBe(false);
    expect(input.hasAttribute('aria-describedby')).toBe(false);
    expect(document.querySelector('.field-error')).toBeNull();
  });

  it('gives each field its own id, also for text areas and selects', () => {
    render(
      <>
        <TextArea label="Erfahrung" error="Zu kurz" />
        <Select label="Sprache" defaultValue="en">
          <option value="de">Deutsch</option>
          <option value="en">English</option>
        </Select>
        <TextInput label="Ort" />
      </>,
    );
    const area = screen.getByRole('textbox', { name: 'Erfahrung' });
    expect(area.tagName).toBe('TEXTAREA');
    expect(document.getElementById(area.getAttribute('aria-describedby') ?? '')?.textContent).toBe('Zu kurz');
    const select = screen.getByRole('combobox', { name: 'Sprache' }) as HTMLSelectElement;
    expect(select.value).toBe('en');
    const ids = [area.id, select.id, screen.getByLabelText('Ort').id];
    expect(new Set(ids).size).toBe(3);
  });
});

describe('Alert', () => {
  it('is an alert for errors and a status otherwise', () => {
    render(
      <>
        <Alert kind="error">Fehler</Alert>
        <Alert kind="success">Gespeichert</Alert>
        <Alert>Hinweis</Alert>
      </>,
    );
    expect(screen.getByRole('alert').textContent).toBe('Fehler');
    expect(screen.getAllByRole('status').map((e) => e.textContent)).toEqual(['Gespeichert', 'Hinweis']);
  });
});

describe('Button', () => {
  it('does not submit a form unless asked to, and calls onClick', async () => {
    const user = userEvent.setup();
    const onSubmit = vi.fn((e: { preventDefault: () => void }) => e.preventDefault());
    const onClick = vi.fn();
    render(
      <form onSubmit={onSubmit}>
        <Button onClick={onClick}>Weiter</Button>
        <Button type="submit">Speichern</Button>
      </form>,
    );
    await user.click(screen.getByRole('button', { name: 'Weiter' }));
    expect(onClick).toHaveBeenCalledTimes(1);
    expect(onSubmit).not.toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Speichern' }));
    expect(onSubmit).toHaveBeenCalledTimes(1);
  });

  it('is disabled and aria-busy while busy, and ignores clicks', async () => {
    const user = userEvent.setup();
    const onClick = vi.fn();
    const { rerender } = render(<Button busy onClick={onClick}>Speichern</Button>);
    const button = screen.getByRole('button', { name: 'Speichern' }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.getAttribute('aria-busy')).toBe('true');
    await user.click(button);
    expect(onClick).not.toHaveBeenCalled();
    rerender(<Button onClick={onClick}>Speichern</Button>);
    expect(button.disabled).toBe(false);
    expect(button.hasAttribute('aria-busy')).toBe(false);
    await user.click(button);
    expect(onClick).toHaveBeenCalledTimes(1);
  });

  it('keeps its variant class', () => {
    render(<Button variant="danger" className="wide">Löschen</Button>);
    expect(screen.getByRole('button').className.split(' ')).toEqual(['btn', 'btn-danger', 'wide']);
  });
});

describe('texts from i18n', () => {
  beforeEach(() => window.localStorage.setItem('tandem.language', 'de'));
  afterEach(() => window.localStorage.clear());

  it('Loading is a status in the chosen language', () => {
    render(<I18nProvider><Loading /></I18nProvider>);
    expect(screen.getByRole('status').textContent).toBe('Wird geladen …');
    expect(document.documentElement.lang).toBe('de');
  });

  it('useErrorText words API errors with their detail and anything else as a network error', () => {
    function Show({ error }: { error: unknown }) {
      const text = useErrorText();
      return <p>{text(error)}</p>;
    }
    const problem = { type: 'about:blank', title: 'Conflict', status: 409, detail: 'Der Lauf ist schon veröffentlicht.' };
    render(
      <I18nProvider>
        <Show error={new ApiError(409, problem)} />
        <Show error={new TypeError('Failed to fetch')} />
      </I18nProvider>,
    );
    screen.getByText('Das hat nicht geklappt: Der Lauf ist schon veröffentlicht.');
    screen.getByText('Der Server antwortet nicht. Bitte versuchen Sie es gleich noch einmal.');
  });

  it('takes the language remembered in the browser', () => {
    window.localStorage.setItem('tandem.language', 'en');
    render(<I18nProvider><Loading /></I18nProvider>);
    expect(screen.getByRole('status').textContent).toBe('Loading …');
    expect(document.documentElement.lang).toBe('en');
  });
});
