// The two catalogues: the same keys, the same placeholders, no empty texts; translate's filling.
import { describe, expect, it } from 'vitest';
import { de } from './de';
import { en } from './en';
import { translate } from './index';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('catalogues', () => {
  it('de and en have the same keys', () => {
    const deKeys = Object.keys(de).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !(k in de))).toEqual([]);
    expect(deKeys.filter((k) => !(k in en))).toEqual([]);
    expect(deKeys.length).toBeGreaterThan(50);
  });

  it('every text uses the same placeholders in both languages', () => {
    const differ: string[] = [];
    for (const [key, text] of Object.entries(de)) {
      const other = (en as Record<string, string>)[key] ?? '';
      if (placeholders(text).join() !== placeholders(other).join()) differ.push(`${key}: "${text}" / "${other}"`);
    }
    expect(differ).toEqual([]);
  });

  it('has no empty texts and no unbalanced braces', () => {
    const bad: string[] = [];
    for (const [lang, catalogue] of [['de', de], ['en', en]] as const) {
      for (const [key, text] of Object.entries(catalogue as Record<string, string>)) {
        if (!text.trim()) bad.push(`${lang} ${key}: empty`);
        const stripped = text.replace(/\{\w+(\|[^|{}]*\|[^|{}]*)?\}/g, '');
        if (/[{}]/.test(stripped)) bad.push(`${lang} ${key}: stray brace in "${text}"`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('addresses people formally in German (Sie, not du)', () => {
    const informal = Object.entries(de).filter(([, text]) => /\b(du|dich|dir|dein\w*)\b/i.test(text));
    expect(informal).toEqual([]);
  });
});

describe('translate', () => {
  it('fills placeholders in the chosen language', () => {
    expect(translate('en', 'error.generic', { detail: 'boom' })).toBe('That did not work: boom');
    expect(translate('de', 'error.generic', { detail: 'Bumm' })).toBe('Das hat nicht geklappt: Bumm');
  });

  it('fills numbers, every occurrence, and leaves unknown placeholders visible', () => {
    expect(translate('en', 'team.compareCounts', { a: 1, ap: 3, b: 2, bp: 4, both: 2 })).toBe(
      'Run 1: 3 tandems, run 2: 4 tandems, 2 in both.',
    );
    expect(translate('en', 'team.compareCounts', { a: 1 })).toBe(
      'Run 1: {ap} tandems, run {b}: {bp} tandems, {both} in both.',
    );
  });

  it('returns the text unchanged without parameters', () => {
    expect(translate('de', 'app.loading')).toBe('Wird geladen …');
  });

  it('picks the plural form by the language rule', () => {
    expect(translate('en', 'team.publishedAnswer', { tandems: 1, mails: 2 })).toBe(
      '1 tandem proposed, 2 e-mails sent.',
    );
    expect(translate('en', 'team.publishedAnswer', { tandems: 0, mails: 1 })).toBe(
      '0 tandems proposed, 1 e-mail sent.',
    );
    expect(translate('de', 'programmes.topics', { count: 1 })).toBe('1 Thema');
    expect(translate('de', 'programmes.topics', { count: 12 })).toBe('12 Themen');
    expect(translate('en', 'app.loading')).toBe('Loading …');
  });
});
