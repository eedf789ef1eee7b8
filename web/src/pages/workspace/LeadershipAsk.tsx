// "Ask to leadership": a partner tells the programme team what they need from top management,
// tagged with the programme's topics; anonymous unless they choose to be named (docs/privacy.md:
// the team never learns the tandem, and the author only when named).
import { useId, useRef, useState } from 'react';
import { ApiError, call } from '../../api/client';
import { Button, TextArea, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { fieldMessage } from './shared';

/** A topic that an ask may carry: the programme's key and its name in the reader's language. */
export interface AskTopic {
  key: string;
  name: string;
}

export const MAX_ASK_LENGTH = 5000;

export function LeadershipAskSection({ tandemId, topics }: { tandemId: number; topics: AskTopic[] }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const formId = useId();
  const [text, setText] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [named, setNamed] = useState(false);
  const [busy, setBusy] = useState(false);
  const [textError, setTextError] = useState<string | undefined>();
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  const textRef = useRef<HTMLDivElement>(null);

  const send = async () => {
    setSent(null);
    setError(null);
    setApiError(null);
    const value = text.trim();
    if (!value) {
      setTextError(t('workspace.ask.textMissing'));
      textRef.current?.querySelector('textarea')?.focus();
      return;
    }
    setTextError(undefined);
    setBusy(true);
    try {
      const r = await call('post', '/api/v1/tandems/{id}/asks', {
        path: { id: tandemId },
        body: { text: value, topics: chosen, named },
      });
      setSent(r.data.named ? t('workspace.ask.sentNamed') : t('workspace.ask.sentAnonymous'));
      setText('');
      setChosen([]);
      setNamed(false);
    } catch (e) {
      if (e instanceof ApiError) setApiError(e);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const topicError = (() => {
    for (let i = 0; i < chosen.length; i++) {
      const m = fieldMessage(apiError, `topics[${i}]`);
      if (m) return m;
    }
    return fieldMessage(apiError, 'topics');
  })();
  const topicErrorId = `${formId}-topics-error`;

  return (
    <section className="card ws-section" aria-labelledby="ws-ask">
      <h2 id="ws-ask" className="card-title">{t('workspace.ask.title')}</h2>
      <p>{t('workspace.ask.intro')}</p>
      <form
        className="ws-ask"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void send();
        }}
      >
        <div ref={textRef}>
          <TextArea
            label={t('workspace.ask.text')}
            hint={t('workspace.ask.textHint', { max: MAX_ASK_LENGTH })}
            value={text}
            rows={5}
            maxLength={MAX_ASK_LENGTH}
            required
            error={textError ?? fieldMessage(apiError, 'text')}
            onChange={(e) => {
              setText(e.target.value);
              if (e.target.value.trim()) setTextError(undefined);
            }}
          />
        </div>
        {topics.length > 0 && (
          <fieldset
            className={topicError ? 'ws-ask-topics field-invalid' : 'ws-ask-topics'}
            aria-describedby={topicError ? topicErrorId : undefined}
          >
            <legend>{t('workspace.ask.topics')}</legend>
            <ul className="ws-ask-topic-list">
              {topics.map((topic) => (
                <li key={topic.key}>
                  <label className="ws-check">
                    <input
                      type="checkbox"
                      checked={chosen.includes(topic.key)}
                      onChange={(e) =>
                        setChosen((c) =>
                          e.target.checked
                            ? topics.map((x) => x.key).filter((k) => k === topic.key || c.includes(k))
                            : c.filter((k) => k !== topic.key),
                        )
                      }
                    />
                    <span>{topic.name}</span>
                  </label>
                </li>
              ))}
            </ul>
            {topicError && (
              <p className="field-error" id={topicErrorId}>
                {topicError}
              </p>
            )}
          </fieldset>
        )}
        <fieldset className="ws-ask-named">
          <legend>{t('workspace.ask.who')}</legend>
          <label className="ws-check">
            <input type="radio" name={`${formId}-named`} checked={!named} onChange={() => setNamed(false)} />
            <span>{t('workspace.ask.anonymous')}</span>
          </label>
          <label className="ws-check">
            <input type="radio" name={`${formId}-named`} checked={named} onChange={() => setNamed(true)} />
            <span>{t('workspace.ask.named')}</span>
          </label>
        </fieldset>
        {error && (
          <div className="alert alert-error" role="alert">
            {error}
          </div>
        )}
        <div className="ws-buttons">
          <Button type="submit" busy={busy}>
            {named ? t('workspace.ask.sendNamed') : t('workspace.ask.sendAnonymous')}
          </Button>
        </div>
      </form>
      {/* Always present, so that screen readers announce the confirmation when it appears. */}
      <div role="status" className={sent ? 'alert alert-success' : 'ws-live-empty'}>
        {sent}
      </div>
    </section>
  );
}
