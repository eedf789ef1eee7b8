// The small component set every page uses: one look, labels on every control.
import { useCallback, useId } from 'react';
import type { ButtonHTMLAttributes, InputHTMLAttributes, ReactNode, SelectHTMLAttributes,
  TextareaHTMLAttributes } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n';

type Variant = 'primary' | 'secondary' | 'danger' | 'link';

export function Button({
  variant = 'primary',
  busy = false,
  className,
  children,
  ...rest
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant; busy?: boolean }) {
  return (
    <button
      type="button"
      {...rest}
      className={['btn', `btn-${variant}`, className].filter(Boolean).join(' ')}
      disabled={rest.disabled || busy}
      aria-busy={busy || undefined}
    >
      {children}
    </button>
  );
}

interface FieldProps {
  label: string;
  hint?: string;
  error?: string;
  children: (props: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ReactNode;
}

/** A label, the control, a hint and an error, wired together for screen readers. */
export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children({ id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {hint && (
        <p className="field-hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && (
        <p className="field-error" id={errorId}>
          {error}
        </p>
      )}
    </div>
  );
}

export function TextInput({ label, hint, error, ...rest }: InputHTMLAttributes<HTMLInputElement> &
  { label: string; hint?: string; error?: string }) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(p) => <input className="input" {...rest} {...p} />}
    </Field>
  );
}

export function TextArea({ label, hint, error, ...rest }: TextareaHTMLAttributes<HTMLTextAreaElement> &
  { label: string; hint?: string; error?: string }) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(p) => <textarea className="input" rows={3} {...rest} {...p} />}
    </Field>
  );
}

export function Select({ label, hint, error, children, ...rest }:
  SelectHTMLAttributes<HTMLSelectElement> & { label: string; hint?: string; error?: string }) {
  return (
    <Field label={label} hint={hint} error={error}>
      {(p) => (
        <select className="input" {...rest} {...p}>
          {children}
        </select>
      )}
    </Field>
  );
}

/** A row of radio buttons for a 0..n scale, each with its words. */
export function Scale({ legend, name, value, labels, onChange, className }: {
  legend: string;
  name: string;
  value: number;
  labels: string[];
  onChange: (value: number) => void;
  className?: string;
}) {
  return (
    <fieldset className={['scale', className].filter(Boolean).join(' ')}>
      <legend>{legend}</legend>
      <div className="scale-options">
        {labels.map((text, i) => (
          <label key={i} className={i === value ? 'scale-option scale-selected' : 'scale-option'}>
            <input
              type="radio"
              name={name}
              value={i}
              checked={i === value}
              onChange={() => onChange(i)}
            />
            <span className="scale-number" aria-hidden="true">{i}</span>
            <span className="scale-text">{text}</span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

export function Alert({ kind = 'info', children }: { kind?: 'info' | 'error' | 'success'; children: ReactNode }) {
  return (
    <div className={`alert alert-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export function Card({ title, children, actions, headingLevel = 2 }: {
  title?: ReactNode;
  children?: ReactNode;
  actions?: ReactNode;
  headingLevel?: 2 | 3;
}) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section className="card">
      {title && <Heading className="card-title">{title}</Heading>}
      {children}
      {actions && <div className="card-actions">{actions}</div>}
    </section>
  );
}

export function Badge({ children, tone = 'neutral' }: { children: ReactNode; tone?: 'neutral' | 'good' | 'warn' | 'bad' }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Loading() {
  const { t } = useI18n();
  return (
    <p className="loading" role="status">
      {t('app.loading')}
    </p>
  );
}

/** The words for an error from the API or the network. */
export function useErrorText(): (e: unknown) => string {
  const { t } = useI18n();
  return useCallback(
    (e: unknown) => (e instanceof ApiError ? t('error.generic', { detail: e.message }) : t('error.network')),
    [t],
  );
}
