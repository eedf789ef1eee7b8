// Pieces the participant's pages share: topic names in the reader's language, the reasons of a
// match in plain words, and a confirmation dialog.
import { useCallback, useEffect, useId, useRef } from 'react';
import type { ReactNode, RefObject } from 'react';
import type { Programme, Schemas } from '../../api/client';
import { Button } from '../../components/ui';
import { useI18n } from '../../i18n';
import '../../styles/participant.css';

type Reason = Schemas['Reason'];

/** The name of a topic key in the reader's language, from the programmes' catalogues. */
export function useTopicName(programmes: Programme[]): (programmeId: number, key: string) => string {
  const { language } = useI18n();
  return useCallback(
    (programmeId: number, key: string) => {
      const topic = programmes.find((p) => p.id === programmeId)?.topics.find((x) => x.key === key);
      return (language === 'de' ? topic?.name_de : topic?.name_en) || key;
    },
    [programmes, language],
  );
}

function clampLevel(n: number | undefined): 0 | 1 | 2 | 3 {
  const v = Math.max(0, Math.min(3, Math.round(n ?? 0)));
  return v as 0 | 1 | 2 | 3;
}

/**
 * Why two people fit, topic by topic: the mentee's interest and the mentor's knowledge in the
 * questionnaire's words, and the mentor's experience where they gave it. `me` says which side the
 * reader is on, so their own answers read "Your interest".
 */
export function MatchReasons({
  reasons,
  mentor,
  mentee,
  me,
  topicName,
  headingLevel,
}: {
  reasons: Reason[];
  mentor: string;
  mentee: string;
  me: 'mentor' | 'mentee' | null;
  topicName: (key: string) => string;
  headingLevel: 2 | 3 | 4;
}) {
  const { t } = useI18n();
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';
  if (reasons.length === 0) return <p className="p-muted">{t('participant.reasons.none')}</p>;
  return (
    <div className="p-reasons">
      <Heading className="p-reasons-title">
        {t('participant.reasons.title')}
      </Heading>
      <ul className="p-reason-list">
        {reasons.map((r) => (
          <li key={r.topic} className="p-reason">
            <p className="p-reason-topic">
              <strong>{topicName(r.topic)}</strong>
              {r.points !== undefined && (
                <span className="p-muted"> · {t('participant.reasons.points', { points: r.points })}</span>
              )}
            </p>
            <p className="p-reason-line">
              {me === 'mentee'
                ? t('participant.reasons.yourInterest', { level: t(`level.interest.${clampLevel(r.interest)}`) })
                : t('participant.reasons.interestOf', {
                    name: mentee,
                    level: t(`level.interest.${clampLevel(r.interest)}`),
                  })}
            </p>
            <p className="p-reason-line">
              {me === 'mentor'
                ? t('participant.reasons.yourSkill', { level: t(`level.skill.${clampLevel(r.skill)}`) })
                : t('participant.reasons.skillOf', {
                    name: mentor,
                    level: t(`level.skill.${clampLevel(r.skill)}`),
                  })}
            </p>
            {r.experience && (
              <blockquote className="p-experience">
                <p className="p-experience-label">
                  {me === 'mentor'
                    ? t('participant.reasons.yourExperience')
                    : t('participant.reasons.experienceOf', { name: mentor })}
                </p>
                <p>{r.experience}</p>
              </blockquote>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * A modal confirmation: focus moves to the safe choice when it opens, Escape and Cancel close it,
 * and focus returns to `returnFocus` afterwards (unless the caller moves it elsewhere).
 */
export function ConfirmDialog({
  open,
  title,
  children,
  confirmLabel,
  cancelLabel,
  busy,
  onConfirm,
  onCancel,
  returnFocus,
}: {
  open: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  cancelLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  returnFocus?: RefObject<HTMLElement>;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) {
      dialog.showModal();
      cancelRef.current?.focus();
    } else if (!open && dialog.open) {
      dialog.close();
      returnFocus?.current?.focus();
    }
  }, [open, returnFocus]);

  return (
    <dialog
      ref={ref}
      className="p-dialog"
      aria-labelledby={titleId}
      aria-describedby={bodyId}
      onCancel={(e) => {
        // Escape: closed through the state, so focus returns the same way as with Cancel.
        e.preventDefault();
        if (!busy) onCancel();
      }}
    >
      <h2 id={titleId} className="p-dialog-title">
        {title}
      </h2>
      <div id={bodyId}>{children}</div>
      <div className="card-actions">
        <Button variant="danger" busy={busy} onClick={onConfirm}>
          {confirmLabel}
        </Button>
        <button ref={cancelRef} type="button" className="btn btn-secondary" disabled={busy} onClick={onCancel}>
          {cancelLabel}
        </button>
      </div>
    </dialog>
  );
}
