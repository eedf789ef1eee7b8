// The programme's state actions: open enrolment (draft with a future deadline), close (with a
// confirmation step).
import { useState } from 'react';
import { call } from '../../api/client';
import type { Programme } from '../../api/client';
import { Alert, Button, Card, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';

export function StateCard({ programme, onChanged }: { programme: Programme; onChanged: (p: Programme) => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ kind: 'error' | 'success'; text: string } | null>(null);
  // Read once per render of a draft: whether the deadline is still ahead.
  const deadlineAhead = programme.enrolment_deadline !== null && programme.enrolment_deadline > Date.now();

  const act = async (action: 'open' | 'close') => {
    setBusy(true);
    setMessage(null);
    try {
      const r = action === 'open'
        ? await call('post', '/api/v1/programmes/{id}/open', { path: { id: programme.id } })
        : await call('post', '/api/v1/programmes/{id}/close', { path: { id: programme.id } });
      onChanged(r.data);
      setMessage({ kind: 'success', text: t(action === 'open' ? 'team.opened' : 'team.closed') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e) });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  };

  if (programme.state === 'closed') {
    return (
      <Card title={t('team.state')}>
        <p>{t('team.isClosed')}</p>
      </Card>
    );
  }
  return (
    <Card title={t('team.state')}>
      {message && <Alert kind={message.kind}>{message.text}</Alert>}
      {programme.state === 'draft' && !deadlineAhead && <p className="meta">{t('team.needDeadline')}</p>}
      <div className="card-actions">
        {programme.state === 'draft' && (
          <Button busy={busy} disabled={!deadlineAhead} onClick={() => void act('open')}>
            {t('team.open')}
          </Button>
        )}
        {!confirming && (
          <Button variant="secondary" busy={busy} onClick={() => setConfirming(true)}>
            {t('team.close')}
          </Button>
        )}
        {confirming && (
          <>
            <span role="status">{t('team.closeConfirmText')}</span>
            <Button variant="danger" busy={busy} onClick={() => void act('close')}>
              {t('team.closeConfirm')}
            </Button>
            <Button variant="secondary" onClick={() => setConfirming(false)}>
              {t('tandems.cancel')}
            </Button>
          </>
        )}
      </div>
    </Card>
  );
}
