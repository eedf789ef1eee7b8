// The profile's "Your data" section (issue 9; docs/personal-data.md): what Tandem holds, the
// download of everything (GET /api/v1/me/export, saved through a blob URL: no inline script,
// CSP-safe) and how to ask for erasure.
import { useState } from 'react';
import { ApiError, call } from '../api/client';
import { Alert, Button, Card, useErrorText } from '../components/ui';
import { useI18n } from '../i18n';

/** The file name the server suggests: tandem-export-YYYY-MM-DD.json (UTC). */
export function exportFileName(generatedAt: number): string {
  return `tandem-export-${new Date(generatedAt).toISOString().slice(0, 10)}.json`;
}

/** Saves `text` as a file through a temporary blob URL. */
function save(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  // Some browsers still read the blob after click() returns: free it a minute later.
  window.setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export function DataRightsCard() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const [partial, setPartial] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const download = async () => {
    setBusy(true);
    setDone(null);
    setPartial(false);
    setError(null);
    try {
      const r = await call('get', '/api/v1/me/export');
      const fileName = exportFileName(r.data.generated_at);
      save(JSON.stringify(r.data, null, 2), fileName);
      setDone(fileName);
      setPartial(r.data.tandems.some((x) => x.content === 'unavailable'));
    } catch (err) {
      setError(err instanceof ApiError && err.status === 403 ? t('profile.data.tokenOnly') : errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card title={t('profile.data.title')}>
      <p>{t('profile.data.intro')}</p>
      <p className="meta">{t('profile.data.exportHint')}</p>
      <Button variant="secondary" busy={busy} onClick={() => void download()}>
        {t('profile.data.download')}
      </Button>
      <div role="status">
        {done && <p className="admin-done">{t('profile.data.downloaded', { file: done })}</p>}
        {partial && <p>{t('profile.data.unavailable')}</p>}
      </div>
      {error && <Alert kind="error">{error}</Alert>}
      <p>{t('profile.data.erasure')}</p>
    </Card>
  );
}
