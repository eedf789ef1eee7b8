// Invitations by filter (level range, department, location, what people offered for the next
// cohort in their profile: `offers`, issue 7) with the server's counts.
import { useState } from 'react';
import type { FormEvent } from 'react';
import { call } from '../../api/client';
import type { InviteSummary } from '../../api/client';
import { Alert, Button, Card, Select, TextInput, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';

export function InviteCard({ id, onInvited }: { id: number; onInvited?: () => void }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [levelMin, setLevelMin] = useState('');
  const [levelMax, setLevelMax] = useState('');
  const [department, setDepartment] = useState('');
  const [location, setLocation] = useState('');
  const [offers, setOffers] = useState<'' | 'mentor' | 'mentee'>('');
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<InviteSummary | null>(null);
  const [error, setError] = useState<string | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setAnswer(null);
    const filter: {
      level_min?: number;
      level_max?: number;
      department?: string;
      location?: string;
      offers?: 'mentor' | 'mentee';
    } = {};
    if (levelMin.trim()) filter.level_min = Number(levelMin);
    if (levelMax.trim()) filter.level_max = Number(levelMax);
    if (department.trim()) filter.department = department.trim();
    if (location.trim()) filter.location = location.trim();
    if (offers) filter.offers = offers;
    try {
      const r = await call('post', '/api/v1/programmes/{id}/invitations', { path: { id }, body: { filter } });
      setAnswer(r.data);
      if (r.data.invited > 0) onInvited?.();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('team.invite')}>
      <form onSubmit={(e) => void submit(e)}>
        <p className="meta">{t('team.inviteIntro')}</p>
        <div className="grid-2">
          <TextInput label={t('team.levelMin')} type="number" inputMode="numeric" value={levelMin}
            onChange={(e) => setLevelMin(e.target.value)} />
          <TextInput label={t('team.levelMax')} type="number" inputMode="numeric" value={levelMax}
            onChange={(e) => setLevelMax(e.target.value)} />
          <TextInput label={t('team.department')} value={department} onChange={(e) => setDepartment(e.target.value)} />
          <TextInput label={t('team.location')} value={location} onChange={(e) => setLocation(e.target.value)} />
          <Select label={t('manage.offers')} hint={t('manage.offersHint')} value={offers}
            onChange={(e) => setOffers(e.target.value as '' | 'mentor' | 'mentee')}>
            <option value="">{t('manage.offers.any')}</option>
            <option value="mentor">{t('manage.offers.mentor')}</option>
            <option value="mentee">{t('manage.offers.mentee')}</option>
          </Select>
        </div>
        {error && <Alert kind="error">{error}</Alert>}
        {answer && (
          <Alert kind="success">
            {t('team.inviteAnswer', {
              invited: answer.invited,
              already: answer.already,
              without: answer.without_email,
            })}
          </Alert>
        )}
        <Button type="submit" busy={busy}>{t('team.inviteSubmit')}</Button>
      </form>
    </Card>
  );
}
