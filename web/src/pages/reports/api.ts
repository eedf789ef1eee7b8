// The issue 8 routes (docs/api/openapi.json, tag "reports") through the typed client. The answers
// of a survey are a free-form object in the document; ./types.ts types them by question.
import { call } from '../../api/client';
import type { Reply } from '../../api/client';
import type { Answers, Dashboard, Feedback, MySurvey, Question, Survey, SurveyResponse, SurveyResult } from './types';

export const reportsApi = {
  mySurveys: (): Promise<MySurvey[]> =>
    call('get', '/api/v1/me/surveys').then((r) => r.data.surveys as MySurvey[]),
  saveResponse: (id: number, answers: Answers, ifMatch: string): Promise<Reply<SurveyResponse>> =>
    call('put', '/api/v1/surveys/{id}/response', { path: { id }, body: { answers }, ifMatch }) as Promise<
      Reply<SurveyResponse>
    >,

  feedback: (id: number): Promise<Reply<Feedback>> => call('get', '/api/v1/tandems/{id}/feedback', { path: { id } }),
  saveFeedback: (id: number, text: string, ifMatch: string): Promise<Reply<Feedback>> =>
    call('put', '/api/v1/tandems/{id}/feedback', { path: { id }, body: { text }, ifMatch }),

  surveys: (programme: number): Promise<Survey[]> =>
    call('get', '/api/v1/programmes/{id}/surveys', { path: { id: programme } }).then((r) => r.data.surveys),
  saveQuestions: (id: number, questions: Question[], ifMatch: string): Promise<Reply<Survey>> =>
    call('put', '/api/v1/surveys/{id}', { path: { id }, body: { questions }, ifMatch }),
  act: (id: number, action: 'open' | 'close' | 'reopen'): Promise<Reply<Survey>> =>
    action === 'open'
      ? call('post', '/api/v1/surveys/{id}/open', { path: { id } })
      : action === 'close'
        ? call('post', '/api/v1/surveys/{id}/close', { path: { id } })
        : call('post', '/api/v1/surveys/{id}/reopen', { path: { id } }),
  results: (id: number): Promise<{ survey: Survey; result: SurveyResult | null }> =>
    call('get', '/api/v1/surveys/{id}/results', { path: { id } }).then((r) => r.data),

  dashboard: (programme: number, filters: { department?: string; location?: string }): Promise<Dashboard> =>
    call('get', '/api/v1/programmes/{id}/dashboard', {
      path: { id: programme },
      query: { department: filters.department || undefined, location: filters.location || undefined },
    }).then((r) => r.data),
};

export type ExportName = 'dashboard.csv' | 'dashboard.xlsx' | 'tandems.csv' | 'tandems.xlsx';

/** Where an export downloads from (a plain link: the browser sends the session cookie). */
export function exportUrl(programme: number, name: ExportName, filters: { department?: string; location?: string }): string {
  const q = new URLSearchParams();
  if (filters.department) q.set('department', filters.department);
  if (filters.location) q.set('location', filters.location);
  const s = q.toString();
  return `/api/v1/programmes/${programme}/exports/${name}${s ? `?${s}` : ''}`;
}
