// /admin/people: every person record (searchable on the page) and the participants CSV import.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { all, call } from '../../api/client';
import type { Schemas } from '../../api/client';
import { Alert, Badge, Button, Loading, TextInput, useErrorText } from '../../components/ui';
import { useI18n } from '../../i18n';
import { ImportPeople } from './ImportPeople';

type Person = Schemas['Person'];
const PAGE = 100;

/** True when the query's words all occur in the person's name, e-mail or department. */
export function matchesPerson(person: Person, query: string): boolean {
  const haystack = `${person.name} ${person.email} ${person.department}`.toLocaleLowerCase();
  return query
    .toLocaleLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

export function PeopleSection() {
  const { t } = useI18n();
  const errorText = useErrorText();
  const [people, setPeople] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [shown, setShown] = useState(PAGE);

  const load = useCallback(() => {
    let live = true;
    all((after) => call('get', '/api/v1/people', { query: { after, limit: 500 } }).then((r) => r.data))
      .then((items) => {
        if (!live) return;
        setPeople(items);
        setError(null);
      })
      .catch((e: unknown) => live && setError(errorText(e)));
    return () => {
      live = false;
    };
  }, [errorText]);
  useEffect(load, [load]);

  const byId = useMemo(() => new Map((people ?? []).map((p) => [p.id, p])), [people]);
  const matching = useMemo(
    () => (people ?? []).filter((p) => matchesPerson(p, query)),
    [people, query],
  );

  return (
    <>
      <h2>{t('admin.people.title')}</h2>
      <ImportPeople onImported={load} />
      <section aria-labelledby="people-list-heading">
        <h3 id="people-list-heading">{t('admin.people.list')}</h3>
        {error && <Alert kind="error">{error}</Alert>}
        {!people && !error && <Loading />}
        {people && (
          <>
            <div className="admin-search">
              <TextInput
                label={t('admin.people.search')}
                hint={t('admin.people.searchHint')}
                type="search"
                value={query}
                onChange={(e) => {
                  setQuery(e.target.value);
                  setShown(PAGE);
                }}
              />
            </div>
            <p role="status" className="meta">
              {query
                ? t('admin.people.countFiltered', { shown: matching.length, total: people.length })
                : t('admin.people.count', { total: people.length })}
            </p>
            {matching.length > 0 && (
              <div className="table-wrap">
                <table className="table admin-table">
                  <caption className="visually-hidden">{t('admin.people.list')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('admin.people.name')}</th>
                      <th scope="col">{t('admin.people.email')}</th>
                      <th scope="col">{t('admin.people.department')}</th>
                      <th scope="col">{t('admin.people.location')}</th>
                      <th scope="col">{t('admin.people.level')}</th>
                      <th scope="col">{t('admin.people.manager')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {matching.slice(0, shown).map((p) => (
                      <tr key={p.id}>
                        <th scope="row">
                          {p.erased ? <Badge>{t('admin.people.erased')}</Badge> : p.name}
                          {p.external_id && <span className="admin-sub">{p.external_id}</span>}
                        </th>
                        <td className="admin-break">{p.email}</td>
                        <td>{p.department}</td>
                        <td>{p.location}</td>
                        <td>{p.level}</td>
                        <td>{p.manager_id === null ? '–' : (byId.get(p.manager_id)?.name ?? `#${p.manager_id}`)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {matching.length > shown && (
              <Button variant="secondary" onClick={() => setShown((n) => n + PAGE)}>
                {t('admin.people.more', { count: Math.min(PAGE, matching.length - shown) })}
              </Button>
            )}
          </>
        )}
      </section>
    </>
  );
}
