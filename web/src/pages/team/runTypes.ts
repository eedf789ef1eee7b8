// Shapes and small helpers of the team pages. The run's result and report are free-form objects in
// the OpenAPI document; their shape is the server's (src/app/lifecycle.cc, Compute) and
// docs/programme.md.
import type { Programme, Run, RunDetail } from '../../api/client';
import type { Language } from '../../i18n';

export interface ReasonJson {
  topic: string;
  interest?: number;
  skill?: number;
  points?: number;
}
export interface PairJson {
  mentor: number;
  mentee: number;
  score: number;
  topics?: string[];
  reasons?: ReasonJson[];
  pinned?: boolean;
  language?: string | null;
}
export interface ResultJson {
  pairs?: PairJson[];
  total_score?: number;
  fixed_tandems?: number;
}
export interface ReportJson {
  mentees_wanting?: number;
  mentees_matched?: number;
  mentors_offering?: number;
  mentor_capacity_offered?: number;
  mentor_capacity_used?: number;
  tandems?: number;
  total_score?: number;
  mean_score?: number;
  blocking_pairs?: number;
  pins_ignored?: { mentor: number; mentee: number; reason: string }[];
  unmatched?: { person: number; role: string; reason: string }[];
  topics?: { key: string; name_de: string; name_en: string; demand: number; supply: number }[];
}

/** Whether a run is still queued or computing. */
export const pending = (r: { state: Run['state'] }) => r.state === 'queued' || r.state === 'running';

export function runTone(state: Run['state']): 'neutral' | 'good' | 'warn' | 'bad' {
  return state === 'done' ? 'good' : state === 'failed' ? 'bad' : 'warn';
}

/** A topic's name in the page's language; the key when the programme lacks it. */
export function topicName(programme: Programme, key: string, language: Language): string {
  const topic = programme.topics.find((x) => x.key === key);
  if (!topic) return key;
  return (language === 'de' ? topic.name_de : topic.name_en) || key;
}

/** A run's detail without result, report and people: the list's shape. */
export function asRun(d: RunDetail): Run {
  const { result: _r, report: _p, people: _q, ...run } = d;
  return run;
}
