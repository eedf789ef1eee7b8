// The tandem's roadmap: an ordered list of topics, add, mark covered, move up/down, edit, delete.
import { useCallback, useEffect, useState } from 'react';
import type { DragEvent } from 'react';
import { call } from '../../api/client';
import type { Schemas } from '../../api/client';
import { Alert, Button, TextInput, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { etagOf, expectedRefusal, statusOf } from './shared';

type Roadmap = Schemas['Roadmap'];
type Item = Schemas['RoadmapItem'];

/**
 * The order after dropping `dragged` before (or `after`) `target`; the same array when nothing
 * moves.
 */
export function reorder(ids: number[], dragged: number, target: number, after: boolean): number[] {
  if (dragged === target || !ids.includes(dragged)) return ids;
  const rest = ids.filter((x) => x !== dragged);
  const i = rest.indexOf(target);
  if (i < 0) return ids;
  rest.splice(after ? i + 1 : i, 0, dragged);
  return rest.every((x, k) => x === ids[k]) ? ids : rest;
}

export function RoadmapSection({ tandemId, readOnly }: { tandemId: number; readOnly: boolean }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [roadmap, setRoadmap] = useState<Roadmap | null>(null);
  const [etag, setEtag] = useState<string | null>(null);
  const [error, setError] = useState<{ text: string; calm: boolean } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [adding, setAdding] = useState('');
  const [addError, setAddError] = useState<string | undefined>();
  const [editing, setEditing] = useState<{ id: number; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Drag and drop (mouse; the arrow buttons do the same from the keyboard).
  const [dragged, setDragged] = useState<number | null>(null);
  const [drop, setDrop] = useState<{ id: number; after: boolean } | null>(null);

  const load = useCallback(async () => {
    try {
      const r = await call('get', '/api/v1/tandems/{id}/roadmap', { path: { id: tandemId } });
      setRoadmap(r.data);
      setEtag(r.etag);
      setError(null);
    } catch (e) {
      const k = expectedRefusal(e);
      setError({ text: k ? t(k) : errorText(e), calm: !!k });
    }
  }, [tandemId, t, errorText]);

  useEffect(() => {
    void load();
  }, [load]);

  /** Runs a change; a stale version reloads and says so. */
  const run = async (what: () => Promise<unknown>, done?: string, after?: () => void) => {
    setBusy(true);
    setInfo(null);
    setError(null);
    try {
      await what();
      if (done) setInfo(done);
      await load();
      after?.();
      return true;
    } catch (e) {
      if (statusOf(e) === 412) {
        setInfo(t('workspace.roadmap.stale'));
        setEditing(null);
        await load();
      } else {
        setError({ text: errorText(e), calm: false });
      }
      return false;
    } finally {
      setBusy(false);
    }
  };

  const move = (index: number, dir: -1 | 1) => {
    if (!roadmap) return;
    const ids = roadmap.items.map((x) => x.id);
    const j = index + dir;
    if (j < 0 || j >= ids.length) return;
    const item = roadmap.items[index];
    const other = ids[j];
    if (!item || other === undefined) return;
    ids[j] = item.id;
    ids[index] = other;
    void run(
      () =>
        call('put', '/api/v1/tandems/{id}/roadmap/order', {
          path: { id: tandemId },
          body: { item_ids: ids },
          ifMatch: etag ?? etagOf(roadmap.version),
        }),
      t('workspace.roadmap.moved', { text: item.text, position: j + 1 }),
      () =>
        window.setTimeout(() => {
          // Keep the keyboard on the moved item: the same button, or the other one at an end.
          const same = document.getElementById(`ws-move-${item.id}-${dir}`) as HTMLButtonElement | null;
          const other = document.getElementById(`ws-move-${item.id}-${-dir}`) as HTMLButtonElement | null;
          (same && !same.disabled ? same : other)?.focus();
        }),
    );
  };

  /** Sends a new order; a stale roadmap (412) reloads and says so. */
  const sendOrder = (ids: number[], item: Item) => {
    if (!roadmap) return;
    const byId = new Map(roadmap.items.map((x) => [x.id, x]));
    setRoadmap({ ...roadmap, items: ids.map((x) => byId.get(x)).filter((x): x is Item => !!x) });
    void run(
      () =>
        call('put', '/api/v1/tandems/{id}/roadmap/order', {
          path: { id: tandemId },
          body: { item_ids: ids },
          ifMatch: etag ?? etagOf(roadmap.version),
        }),
      t('workspace.roadmap.moved', { text: item.text, position: ids.indexOf(item.id) + 1 }),
    );
  };

  const onDrop = (target: Item, after: boolean) => {
    const from = dragged;
    setDragged(null);
    setDrop(null);
    if (!roadmap || from === null) return;
    const item = roadmap.items.find((x) => x.id === from);
    const ids = roadmap.items.map((x) => x.id);
    const next = reorder(ids, from, target.id, after);
    if (item && next !== ids) sendOrder(next, item);
  };

  /** Whether the pointer is over the lower half of the item: the drop goes after it. */
  const lowerHalf = (e: DragEvent<HTMLLIElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return e.clientY > r.top + r.height / 2;
  };

  const update = (item: Item, body: { text?: string; covered?: boolean }) => {
    // The checkbox follows the click at once; the reload afterwards confirms (or reverts) it.
    if (body.covered !== undefined) {
      const covered = body.covered;
      setRoadmap((r) => r && { ...r, items: r.items.map((x) => (x.id === item.id ? { ...x, covered } : x)) });
    }
    return run(() =>
      call('put', '/api/v1/tandems/{id}/roadmap/{item_id}', {
        path: { id: tandemId, item_id: item.id },
        body,
        ifMatch: etagOf(item.version),
      }),
    );
  };

  const items = roadmap?.items ?? [];
  return (
    <section className="card ws-section" aria-labelledby="ws-roadmap">
      <h2 id="ws-roadmap" className="card-title">{t('workspace.roadmap.title')}</h2>
      {info && <Alert kind="info">{info}</Alert>}
      {error && <Alert kind={error.calm ? 'info' : 'error'}>{error.text}</Alert>}
      {roadmap && items.length === 0 && <p>{t('workspace.roadmap.empty')}</p>}
      {items.length > 1 && !readOnly && <p className="ws-hint">{t('workspace.roadmap.dragHint')}</p>}
      {items.length > 0 && (
        <ol className="ws-roadmap">
          {items.map((item, i) => {
            const canDrag = !readOnly && !busy && editing === null && items.length > 1;
            const classes = ['ws-item'];
            if (item.covered) classes.push('ws-covered');
            if (canDrag) classes.push('ws-draggable');
            if (dragged === item.id) classes.push('ws-dragging');
            if (drop?.id === item.id && dragged !== item.id) classes.push(drop.after ? 'ws-drop-after' : 'ws-drop-before');
            return (
              <li
                key={item.id}
                className={classes.join(' ')}
                draggable={canDrag}
                onDragStart={(e) => {
                  if (!canDrag) return;
                  e.dataTransfer.effectAllowed = 'move';
                  e.dataTransfer.setData('text/plain', String(item.id));
                  setDragged(item.id);
                }}
                onDragOver={(e) => {
                  if (dragged === null) return;
                  e.preventDefault();
                  e.dataTransfer.dropEffect = 'move';
                  const after = lowerHalf(e);
                  if (drop?.id !== item.id || drop.after !== after) setDrop({ id: item.id, after });
                }}
                onDrop={(e) => {
                  if (dragged === null) return;
                  e.preventDefault();
                  onDrop(item, lowerHalf(e));
                }}
                onDragEnd={() => {
                  setDragged(null);
                  setDrop(null);
                }}
              >
                {editing?.id === item.id ? (
                  <form
                    className="ws-inline-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void update(item, { text: editing.text.trim() }).then((ok) => ok && setEditing(null));
                    }}
                    onKeyDown={(e) => e.key === 'Escape' && setEditing(null)}
                  >
                    <TextInput
                      label={t('workspace.roadmap.text')}
                      value={editing.text}
                      maxLength={500}
                      required
                      autoFocus
                      onChange={(e) => setEditing({ id: item.id, text: e.target.value })}
                    />
                    <div className="ws-buttons">
                      <Button type="submit" busy={busy}>{t('workspace.notes.save')}</Button>
                      <Button variant="secondary" onClick={() => setEditing(null)}>
                        {t('workspace.notes.cancel')}
                      </Button>
                    </div>
                  </form>
                ) : (
                  <>
                    {canDrag && (
                      <span className="ws-grip" aria-hidden="true" title={t('workspace.roadmap.dragHandle', { text: item.text })}>
                        ⠿
                      </span>
                    )}
                    <label className="ws-check">
                      <input
                        type="checkbox"
                        checked={item.covered}
                        disabled={busy || readOnly}
                        onChange={(e) => void update(item, { covered: e.target.checked })}
                        aria-label={t('workspace.roadmap.covered', { text: item.text })}
                      />
                      <span>{item.text}</span>
                    </label>
                    {!readOnly && (
                      <div className="ws-buttons ws-item-buttons">
                        <button
                          id={`ws-move-${item.id}--1`}
                          type="button"
                          className="btn btn-secondary ws-icon"
                          disabled={busy || i === 0}
                          aria-label={t('workspace.roadmap.up', { text: item.text })}
                          title={t('workspace.roadmap.up', { text: item.text })}
                          onClick={() => move(i, -1)}
                        >
                          <span aria-hidden="true">↑</span>
                        </button>
                        <button
                          id={`ws-move-${item.id}-1`}
                          type="button"
                          className="btn btn-secondary ws-icon"
                          disabled={busy || i === items.length - 1}
                          aria-label={t('workspace.roadmap.down', { text: item.text })}
                          title={t('workspace.roadmap.down', { text: item.text })}
                          onClick={() => move(i, 1)}
                        >
                          <span aria-hidden="true">↓</span>
                        </button>
                        <Button
                          variant="secondary"
                          disabled={busy}
                          aria-label={t('workspace.roadmap.edit', { text: item.text })}
                          onClick={() => setEditing({ id: item.id, text: item.text })}
                        >
                          ✎
                        </Button>
                        <Button
                          variant="secondary"
                          disabled={busy}
                          aria-label={t('workspace.roadmap.delete', { text: item.text })}
                          onClick={() =>
                            void run(() =>
                              call('delete', '/api/v1/tandems/{id}/roadmap/{item_id}', {
                                path: { id: tandemId, item_id: item.id },
                              }),
                            )
                          }
                        >
                          ✕
                        </Button>
                      </div>
                    )}
                  </>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {roadmap && !readOnly && (
        <form
          className="ws-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const text = adding.trim();
            if (!text) return;
            setAddError(undefined);
            void run(
              () => call('post', '/api/v1/tandems/{id}/roadmap', { path: { id: tandemId }, body: { text } }),
              t('workspace.roadmap.saved'),
            ).then((ok) => ok && setAdding(''));
          }}
        >
          <TextInput
            label={t('workspace.roadmap.add')}
            value={adding}
            maxLength={500}
            error={addError}
            onChange={(e) => setAdding(e.target.value)}
          />
          <div className="ws-buttons">
            <Button type="submit" busy={busy}>{t('workspace.roadmap.addButton')}</Button>
          </div>
        </form>
      )}
    </section>
  );
}
