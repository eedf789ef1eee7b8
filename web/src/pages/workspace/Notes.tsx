// The tandem's notes: shared ones and the reader's private ones, Markdown with a preview, and
// action items as a checkbox list.
import { useCallback, useEffect, useId, useState } from 'react';
import { ApiError, call } from '../../api/client';
import type { Schemas } from '../../api/client';
import { Alert, Badge, Button, TextArea, TextInput, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { Markdown } from './Markdown';
import { etagOf, expectedRefusal, fieldMessage, statusOf } from './shared';

type Note = Schemas['Note'];
type Action = { text: string; done: boolean };

function NoteEditor({
  note,
  isPrivate,
  busy,
  fieldError,
  onSave,
  onCancel,
}: {
  note: Note | null;
  isPrivate: boolean;
  busy: boolean;
  fieldError: (field: string) => string | undefined;
  onSave: (input: { title: string; text: string; action_items: Action[] }) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const previewId = useId();
  const [title, setTitle] = useState(note?.title ?? '');
  const [text, setText] = useState(note?.text ?? '');
  const [actions, setActions] = useState<Action[]>(note?.action_items.map((a) => ({ ...a })) ?? []);
  const [newAction, setNewAction] = useState('');
  const addAction = () => {
    const v = newAction.trim();
    if (!v) return;
    setActions([...actions, { text: v, done: false }]);
    setNewAction('');
  };
  return (
    <form
      className="ws-note-editor"
      onSubmit={(e) => {
        e.preventDefault();
        onSave({ title: title.trim(), text, action_items: actions });
      }}
      onKeyDown={(e) => e.key === 'Escape' && onCancel()}
    >
      <h4>{note ? note.title || t('workspace.notes.untitled') : isPrivate ? t('workspace.notes.newPrivate') : t('workspace.notes.newShared')}</h4>
      {isPrivate && <p className="ws-private-mark">{t('workspace.notes.privateMark')}</p>}
      <TextInput
        label={t('workspace.notes.noteTitle')}
        value={title}
        maxLength={200}
        autoFocus
        error={fieldError('title')}
        onChange={(e) => setTitle(e.target.value)}
      />
      <TextArea
        label={t('workspace.notes.text')}
        hint={t('workspace.notes.textHint')}
        value={text}
        rows={8}
        error={fieldError('text')}
        onChange={(e) => setText(e.target.value)}
      />
      <section className="ws-preview" aria-labelledby={previewId}>
        <h5 id={previewId}>{t('workspace.notes.preview')}</h5>
        <Markdown source={text} headingLevel={6} />
      </section>
      <fieldset className="ws-actions">
        <legend>{t('workspace.notes.actions')}</legend>
        <ul className="ws-action-list">
          {actions.map((a, i) => (
            <li key={i}>
              <label className="ws-check">
                <input
                  type="checkbox"
                  checked={a.done}
                  onChange={(e) => setActions(actions.map((x, j) => (j === i ? { ...x, done: e.target.checked } : x)))}
                />
                <span>{a.text}</span>
              </label>
              <Button
                variant="secondary"
                className="ws-icon"
                aria-label={t('workspace.notes.actionRemove', { text: a.text })}
                onClick={() => setActions(actions.filter((_, j) => j !== i))}
              >
                ✕
              </Button>
            </li>
          ))}
        </ul>
        <div className="ws-add-action">
          <TextInput
            label={t('workspace.notes.actionNew')}
            value={newAction}
            maxLength={500}
            error={fieldError('action_items')}
            onChange={(e) => setNewAction(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                addAction();
              }
            }}
          />
          <Button variant="secondary" onClick={addAction}>{t('workspace.notes.actionAdd')}</Button>
        </div>
      </fieldset>
      <div className="ws-buttons">
        <Button type="submit" busy={busy}>{t('workspace.notes.save')}</Button>
        <Button variant="secondary" onClick={onCancel}>{t('workspace.notes.cancel')}</Button>
      </div>
    </form>
  );
}

function NoteView({
  note,
  readOnly,
  busy,
  onEdit,
  onDelete,
  onToggle,
}: {
  note: Note;
  readOnly: boolean;
  busy: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onToggle: (index: number, done: boolean) => void;
}) {
  const { t, formatDate } = useI18n();
  const title = note.title || t('workspace.notes.untitled');
  return (
    <article className={note.private ? 'ws-note ws-note-private' : 'ws-note'}>
      <h4>{title}</h4>
      {note.private && (
        <p className="ws-private-mark">
          <Badge tone="warn">{t('workspace.notes.privateMark')}</Badge>
        </p>
      )}
      <p className="meta">{t('workspace.notes.updated', { date: formatDate(note.updated_at) })}</p>
      <Markdown source={note.text} headingLevel={5} />
      {note.action_items.length > 0 && (
        <fieldset className="ws-actions">
          <legend>{t('workspace.notes.actions')}</legend>
          <ul className="ws-action-list">
            {note.action_items.map((a, i) => (
              <li key={i}>
                <label className="ws-check">
                  <input
                    type="checkbox"
                    checked={a.done}
                    disabled={busy || readOnly}
                    onChange={(e) => onToggle(i, e.target.checked)}
                  />
                  <span>{a.text}</span>
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      )}
      {!readOnly && (
        <div className="ws-buttons">
          <Button variant="secondary" disabled={busy} onClick={onEdit} aria-label={t('workspace.notes.edit', { title })}>
            {t('workspace.editShort')}
          </Button>
          <Button variant="danger" disabled={busy} onClick={onDelete} aria-label={t('workspace.notes.delete', { title })}>
            {t('workspace.deleteShort')}
          </Button>
        </div>
      )}
    </article>
  );
}

export function NotesSection({ tandemId, readOnly }: { tandemId: number; readOnly: boolean }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [notes, setNotes] = useState<Note[] | null>(null);
  const [error, setError] = useState<{ text: string; calm: boolean } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [editing, setEditing] = useState<{ id: number | null; private: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async () => {
    try {
      const r = await call('get', '/api/v1/tandems/{id}/notes', { path: { id: tandemId } });
      setNotes(r.data.items);
    } catch (e) {
      const k = expectedRefusal(e);
      setError({ text: k ? t(k) : errorText(e), calm: !!k });
    }
  }, [tandemId, t, errorText]);

  useEffect(() => {
    void load();
  }, [load]);

  const run = async (what: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setInfo(null);
    setError(null);
    setApiError(null);
    try {
      await what();
      setInfo(done);
      setEditing(null);
      await load();
    } catch (e) {
      if (statusOf(e) === 412) {
        setInfo(t('workspace.notes.stale'));
        setEditing(null);
        await load();
      } else {
        setError({ text: errorText(e), calm: false });
        if (e instanceof ApiError) setApiError(e);
      }
    } finally {
      setBusy(false);
    }
  };

  const save = (note: Note | null, isPrivate: boolean, input: { title: string; text: string; action_items: Action[] }) =>
    run(
      () =>
        note
          ? call('put', '/api/v1/tandems/{id}/notes/{note_id}', {
              path: { id: tandemId, note_id: note.id },
              body: input,
              ifMatch: etagOf(note.version),
            })
          : call('post', '/api/v1/tandems/{id}/notes', {
              path: { id: tandemId },
              body: { ...input, private: isPrivate },
            }),
      t('workspace.notes.saved'),
    );

  const group = (isPrivate: boolean) => {
    const list = (notes ?? []).filter((n) => n.private === isPrivate);
    const headingId = isPrivate ? 'ws-notes-mine' : 'ws-notes-shared';
    return (
      <section className={isPrivate ? 'ws-notes-group ws-notes-private' : 'ws-notes-group'} aria-labelledby={headingId}>
        <h3 id={headingId}>{t(isPrivate ? 'workspace.notes.mine' : 'workspace.notes.shared')}</h3>
        {isPrivate && <p className="ws-private-mark">{t('workspace.notes.privateMark')}</p>}
        {list.length === 0 && <p>{t('workspace.notes.none')}</p>}
        <ul className="card-list">
          {list.map((n) => (
            <li key={n.id}>
              {editing?.id === n.id ? (
                <NoteEditor
                  note={n}
                  isPrivate={n.private}
                  busy={busy}
                  fieldError={(f) => fieldMessage(apiError, f)}
                  onSave={(input) => void save(n, n.private, input)}
                  onCancel={() => setEditing(null)}
                />
              ) : (
                <NoteView
                  note={n}
                  readOnly={readOnly}
                  busy={busy}
                  onEdit={() => {
                    setApiError(null);
                    setEditing({ id: n.id, private: n.private });
                  }}
                  onDelete={() =>
                    void run(
                      () => call('delete', '/api/v1/tandems/{id}/notes/{note_id}', { path: { id: tandemId, note_id: n.id } }),
                      t('workspace.notes.deleted'),
                    )
                  }
                  onToggle={(i, done) => {
                    const items = n.action_items.map((a, j) => (j === i ? { ...a, done } : a));
                    setNotes((list) => list?.map((x) => (x.id === n.id ? { ...x, action_items: items } : x)) ?? null);
                    void run(
                      () =>
                        call('put', '/api/v1/tandems/{id}/notes/{note_id}', {
                          path: { id: tandemId, note_id: n.id },
                          body: { action_items: items },
                          ifMatch: etagOf(n.version),
                        }),
                      t('workspace.notes.saved'),
                    );
                  }}
                />
              )}
            </li>
          ))}
        </ul>
        {!readOnly && notes && (editing && editing.id === null && editing.private === isPrivate ? (
          <NoteEditor
            note={null}
            isPrivate={isPrivate}
            busy={busy}
            fieldError={(f) => fieldMessage(apiError, f)}
            onSave={(input) => void save(null, isPrivate, input)}
            onCancel={() => setEditing(null)}
          />
        ) : (
          <Button
            variant="secondary"
            onClick={() => {
              setApiError(null);
              setEditing({ id: null, private: isPrivate });
            }}
          >
            {t(isPrivate ? 'workspace.notes.newPrivate' : 'workspace.notes.newShared')}
          </Button>
        ))}
      </section>
    );
  };

  return (
    <section className="card ws-section" aria-labelledby="ws-notes">
      <h2 id="ws-notes" className="card-title">{t('workspace.notes.title')}</h2>
      {info && <Alert kind="info">{info}</Alert>}
      {error && <Alert kind={error.calm ? 'info' : 'error'}>{error.text}</Alert>}
      {notes && (
        <>
          {group(false)}
          {group(true)}
        </>
      )}
    </section>
  );
}
