// Small helpers shared by the workspace's sections.
import { ApiError } from '../../api/client';
import type { MessageKey } from '../../i18n';

export function statusOf(e: unknown): number {
  return e instanceof ApiError ? e.status : 0;
}

/** A calm message for the workspace's expected refusals (409 not open / ended, 503 no key). */
export function expectedRefusal(e: unknown): MessageKey | null {
  const s = statusOf(e);
  if (s === 409) return 'workspace.waiting';
  if (s === 503) return 'workspace.noKey';
  if (s === 404) return 'workspace.notFound';
  return null;
}

/** An ETag for a record's version, as the server writes it. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** The message for a field: from the problem's `errors`, or a detail written "field: message". */
export function fieldMessage(e: ApiError | null, field: string): string | undefined {
  if (!e) return undefined;
  const listed = e.fieldError(field);
  if (listed) return listed;
  const detail = e.problem?.detail ?? '';
  return detail.startsWith(`${field}: `) ? detail.slice(field.length + 2) : undefined;
}
