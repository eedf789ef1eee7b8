// The participants CSV import: choose (or drop) a file, send it as text/csv, then show the
// counts, or every problem by line so that the file can be fixed. The import is all or nothing.
import { useId, useRef, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import { ApiError, call } from '../../api/client';
import type { ResponseOf, Schemas } from '../../api/client';
import { Alert, Button, Card, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';

type ProblemError = Schemas['ProblemError'];
type ImportSummary = ResponseOf<'/api/v1/people/import', 'post'>;

/** The rows of a CSV text after its header (an estimate: quoted line breaks count twice). */
export function dataLineCount(text: string): number {
  const lines = text.split(/\r\n|\r|\n/).filter((line) => line.trim() !== '');
  return Math.max(0, lines.length - 1);
}

/** The server's message without the "upload.csv:LINE: column 'X': " that the table shows apart. */
export function problemText(e: ProblemError): string {
  let text = e.message.replace(/^[^:\s]+\.csv:\d+:\s*/, '');
  if (e.field) text = text.replace(`column '${e.field}': `, '');
  return text;
}

interface Chosen {
  name: string;
  text: string;
  lines: number;
}

export function ImportPeople({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  const [chosen, setChosen] = useState<Chosen | null>(null);
  const [busy, setBusy] = useState(false);
  const [dragging, setDragging] = useState(false);
  const [result, setResult] = useState<ImportSummary | null>(null);
  const [problems, setProblems] = useState<ProblemError[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const choose = async (file: File | undefined) => {
    setResult(null);
    setProblems(null);
    setError(null);
    if (!file) {
      setChosen(null);
      return;
    }
    try {
      const text = await file.text();
      setChosen({ name: file.name, text, lines: dataLineCount(text) });
    } catch {
      setChosen(null);
      setError(t('admin.import.unreadable'));
    }
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (busy) return;
    const file = e.dataTransfer.files[0];
    if (input.current) input.current.value = '';
    void choose(file);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!chosen) {
      setError(t('admin.import.noFile'));
      input.current?.focus();
      return;
    }
    setBusy(true);
    setResult(null);
    setProblems(null);
    setError(null);
    try {
      setResult(
        (
          await call('post', '/api/v1/people/import', {
            raw: { contentType: 'text/csv; charset=utf-8', text: chosen.text },
          })
        ).data,
      );
      setChosen(null);
      if (input.current) input.current.value = '';
      onImported();
    } catch (err) {
      if (err instanceof ApiError && err.status === 422) {
        const list = [...(err.problem?.errors ?? [])].sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
        setProblems(list);
        if (list.length === 0) setError(errorText(err));
      } else if (err instanceof ApiError && err.status === 413) {
        setError(t('admin.import.tooLarge'));
      } else {
        setError(errorText(err));
      }
    } finally {
      setBusy(false);
    }
  };

  const hintId = `${id}-hint`;
  return (
    <Card title={t('admin.import.title')} headingLevel={3}>
      <p>{t('admin.import.intro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div
          className={dragging ? 'admin-drop admin-drop-active' : 'admin-drop'}
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={onDrop}
        >
          <div className="field">
            <label htmlFor={id}>{t('admin.import.file')}</label>
            <input
              ref={input}
              id={id}
              className="input admin-file"
              type="file"
              accept=".csv,text/csv"
              aria-describedby={hintId}
              disabled={busy}
              onChange={(e) => void choose(e.target.files?.[0])}
            />
            <p className="field-hint" id={hintId}>
              {t('admin.import.fileHint')}
            </p>
          </div>
          {chosen && (
            <p className="admin-chosen">
              {t('admin.import.chosen', { name: chosen.name, count: chosen.lines })}
            </p>
          )}
        </div>
        <Button type="submit" disabled={!chosen} busy={busy}>
          {t('admin.import.submit')}
        </Button>
      </form>
      <div className="admin-import-state" role="status">
        {busy && chosen && (
          <div className="admin-progress">
            <progress aria-label={t('admin.import.progress')} />
            <span>{t('admin.import.running', { count: chosen.lines })}</span>
          </div>
        )}
        {result && (
          <Alert kind="success">
            {t('admin.import.done', {
              inserted: result.inserted,
              updated: result.updated,
              unchanged: result.unchanged,
            })}
          </Alert>
        )}
      </div>
      {error && <Alert kind="error">{error}</Alert>}
      {problems && problems.length > 0 && (
        <>
          <Alert kind="error">{t('admin.import.failed', { count: problems.length })}</Alert>
          <div className="table-wrap">
            <table className="table admin-table admin-problems">
              <caption>{t('admin.import.problems')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('admin.import.line')}</th>
                  <th scope="col">{t('admin.import.column')}</th>
                  <th scope="col">{t('admin.import.message')}</th>
                </tr>
              </thead>
              <tbody>
                {problems.map((p, i) => (
                  <tr key={i}>
                    <td>{p.line ?? '–'}</td>
                    <td>{p.field ? <code>{p.field}</code> : '–'}</td>
                    <td>{problemText(p)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </Card>
  );
}
