// The tandem's meetings: upcoming and past, propose one (agenda from the template), accept,
// cancel, mark held, and each one as a calendar file.
import { useCallback, useEffect, useState } from 'react';
import { ApiError, call } from '../../api/client';
import type { Schemas } from '../../api/client';
import { Alert, Badge, Button, TextInput, useErrorText } from '../../components/ui';
import { useI18n, type MessageKey } from '../../i18n';
import { expectedRefusal, fieldMessage } from './shared';

type Meeting = Schemas['Meeting'];
type Kind = Meeting['agenda'][number]['kind'];
const TEMPLATE: Kind[] = ['theory', 'demo', 'hands_on', 'discussion'];

function tone(state: Meeting['state']): 'good' | 'warn' | 'bad' | 'neutral' {
  if (state === 'accepted') return 'good';
  if (state === 'proposed') return 'warn';
  if (state === 'cancelled') return 'bad';
  return 'neutral';
}

function isPast(m: Meeting, now: number): boolean {
  return m.state === 'held' || m.state === 'cancelled' || m.starts_at + m.duration_minutes * 60000 < now;
}

export function MeetingsSection({
  tandemId,
  me,
  partnerName,
  readOnly,
  onLoaded,
}: {
  tandemId: number;
  me: number | null | undefined;
  partnerName: string;
  readOnly: boolean;
  /** Told the meetings after every load (the workspace counts those held). */
  onLoaded?: (meetings: Meeting[]) => void;
}) {
  const { t, formatDate } = useI18n();
  const errorText = useErrorText();
  const [meetings, setMeetings] = useState<Meeting[] | null>(null);
  const [error, setError] = useState<{ text: string; calm: boolean } | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [apiError, setApiError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  const [start, setStart] = useState('');
  const [startError, setStartError] = useState<string | undefined>();
  const [duration, setDuration] = useState('60');
  const [place, setPlace] = useState('');
  const [video, setVideo] = useState('');
  const [agenda, setAgenda] = useState<Record<string, string>>({});

  const load = useCallback(async () => {
    try {
      const r = await call('get', '/api/v1/tandems/{id}/meetings', { path: { id: tandemId } });
      setMeetings(r.data.items);
      onLoaded?.(r.data.items);
    } catch (e) {
      const k = expectedRefusal(e);
      setError({ text: k ? t(k) : errorText(e), calm: !!k });
    }
  }, [tandemId, t, errorText, onLoaded]);

  useEffect(() => {
    void load();
  }, [load]);

  const run = async (what: () => Promise<unknown>, done: MessageKey) => {
    setBusy(true);
    setInfo(null);
    setError(null);
    setApiError(null);
    try {
      await what();
      setInfo(t(done));
      await load();
      return true;
    } catch (e) {
      setError({ text: errorText(e), calm: false });
      if (e instanceof ApiError) setApiError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };

  const propose = () => {
    const at = start ? new Date(start).getTime() : NaN;
    if (Number.isNaN(at)) {
      setStartError(t('workspace.meetings.startMissing'));
      return;
    }
    setStartError(undefined);
    const body = {
      starts_at: at,
      duration_minutes: Number(duration) || 60,
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone || 'Europe/Berlin',
      place: place.trim(),
      video_link: video.trim(),
      agenda: TEMPLATE.map((kind) => ({ kind, text: (agenda[kind] ?? '').trim() })),
    };
    void run(
      () => call('post', '/api/v1/tandems/{id}/meetings', { path: { id: tandemId }, body }),
      'workspace.meetings.proposed',
    ).then((ok) => {
      if (ok) {
        setStart('');
        setPlace('');
        setVideo('');
        setAgenda({});
        setDuration('60');
      }
    });
  };

  const now = Date.now();
  const upcoming = (meetings ?? []).filter((m) => !isPast(m, now)).sort((a, b) => a.starts_at - b.starts_at);
  const past = (meetings ?? []).filter((m) => isPast(m, now)).sort((a, b) => b.starts_at - a.starts_at);

  const view = (m: Meeting) => {
    const date = formatDate(m.starts_at);
    const act = (what: 'accept' | 'cancel' | 'held') =>
      void run(
        () =>
          what === 'accept'
            ? call('post', '/api/v1/tandems/{id}/meetings/{meeting_id}/accept', { path: { id: tandemId, meeting_id: m.id } })
            : what === 'cancel'
              ? call('post', '/api/v1/tandems/{id}/meetings/{meeting_id}/cancel', { path: { id: tandemId, meeting_id: m.id } })
              : call('post', '/api/v1/tandems/{id}/meetings/{meeting_id}/held', { path: { id: tandemId, meeting_id: m.id } }),
        'workspace.meetings.done',
      );
    const open = m.state === 'proposed' || m.state === 'accepted';
    return (
      <li key={m.id} className="ws-meeting">
        <h4>{date}</h4>
        <p className="meta">
          <Badge tone={tone(m.state)}>{t(`workspace.meetings.state.${m.state}`)}</Badge>{' '}
          {t('workspace.meetings.minutes', { count: m.duration_minutes })} ·{' '}
          {m.proposed_by === me ? t('workspace.meetings.byYou') : t('workspace.meetings.byPartner', { name: partnerName })}
        </p>
        {(m.place || m.video_link) && (
          <dl className="pairs">
            {m.place && (
              <>
                <dt>{t('workspace.meetings.place')}</dt>
                <dd>{m.place}</dd>
              </>
            )}
            {m.video_link && (
              <>
                <dt>{t('workspace.meetings.videoLink')}</dt>
                <dd>
                  <a href={m.video_link} rel="noopener noreferrer" target="_blank" className="ws-break">
                    {m.video_link}
                  </a>
                </dd>
              </>
            )}
          </dl>
        )}
        {m.agenda.length > 0 && (
          <ol className="ws-agenda" aria-label={t('workspace.meetings.agenda')}>
            {m.agenda.map((a, i) => (
              <li key={i}>
                <strong>{t(`workspace.meetings.kind.${a.kind}`)}</strong>
                {a.text ? `: ${a.text}` : ''}
              </li>
            ))}
          </ol>
        )}
        <div className="ws-buttons">
          {!readOnly && m.state === 'proposed' && m.proposed_by !== me && (
            <Button busy={busy} onClick={() => act('accept')} aria-label={t('workspace.meetings.accept', { date })}>
              {t('workspace.meetings.acceptShort')}
            </Button>
          )}
          {!readOnly && open && m.starts_at <= now && (
            <Button variant="secondary" busy={busy} onClick={() => act('held')} aria-label={t('workspace.meetings.held', { date })}>
              {t('workspace.meetings.heldShort')}
            </Button>
          )}
          {!readOnly && open && (
            <Button variant="danger" busy={busy} onClick={() => act('cancel')} aria-label={t('workspace.meetings.cancel', { date })}>
              {t('workspace.meetings.cancelShort')}
            </Button>
          )}
          {m.state !== 'cancelled' && (
            <a
              className="btn btn-link"
              href={`/api/v1/tandems/${tandemId}/meetings/${m.id}/calendar.ics`}
              download={`meeting-${m.id}.ics`}
              aria-label={t('workspace.meetings.calendarNamed', { date })}
            >
              {t('workspace.meetings.calendar')}
            </a>
          )}
        </div>
      </li>
    );
  };

  return (
    <section className="card ws-section" aria-labelledby="ws-meetings">
      <h2 id="ws-meetings" className="card-title">{t('workspace.meetings.title')}</h2>
      {info && <Alert kind="success">{info}</Alert>}
      {error && <Alert kind={error.calm ? 'info' : 'error'}>{error.text}</Alert>}
      {meetings && (
        <>
          <h3>{t('workspace.meetings.upcoming')}</h3>
          {upcoming.length === 0 ? <p>{t('workspace.meetings.none')}</p> : <ul className="card-list">{upcoming.map(view)}</ul>}
          <h3>{t('workspace.meetings.past')}</h3>
          {past.length === 0 ? <p>{t('workspace.meetings.none')}</p> : <ul className="card-list">{past.map(view)}</ul>}
        </>
      )}
      {meetings && !readOnly && (
        <form
          className="ws-propose"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            propose();
          }}
        >
          <h3>{t('workspace.meetings.propose')}</h3>
          <TextInput
            type="datetime-local"
            label={t('workspace.meetings.start')}
            value={start}
            required
            error={startError ?? fieldMessage(apiError, 'starts_at')}
            onChange={(e) => setStart(e.target.value)}
          />
          <TextInput
            type="number"
            inputMode="numeric"
            min={15}
            max={480}
            step={5}
            label={t('workspace.meetings.duration')}
            value={duration}
            error={fieldMessage(apiError, 'duration_minutes')}
            onChange={(e) => setDuration(e.target.value)}
          />
          <TextInput
            label={t('workspace.meetings.place')}
            value={place}
            maxLength={200}
            error={fieldMessage(apiError, 'place')}
            onChange={(e) => setPlace(e.target.value)}
          />
          <TextInput
            type="url"
            label={t('workspace.meetings.videoLink')}
            hint={t('workspace.meetings.videoHint')}
            value={video}
            maxLength={500}
            error={fieldMessage(apiError, 'video_link')}
            onChange={(e) => setVideo(e.target.value)}
          />
          <fieldset className="ws-agenda-fields">
            <legend>{t('workspace.meetings.agenda')}</legend>
            {TEMPLATE.map((kind, i) => (
              <TextInput
                key={kind}
                label={`${i + 1}. ${t(`workspace.meetings.kind.${kind}`)}`}
                value={agenda[kind] ?? ''}
                maxLength={500}
                error={fieldMessage(apiError, `agenda[${i}].text`)}
                onChange={(e) => setAgenda({ ...agenda, [kind]: e.target.value })}
              />
            ))}
          </fieldset>
          <div className="ws-buttons">
            <Button type="submit" busy={busy}>{t('workspace.meetings.submit')}</Button>
          </div>
        </form>
      )}
    </section>
  );
}
